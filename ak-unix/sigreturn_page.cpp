// The sigreturn trampolines' page (sigreturn_page.h).
#include "sigreturn_page.h"

#include "physical_memory.h"
#include "signal_frame.h"

namespace unixemu::sigreturn_page {

namespace {
uint32_t g_frame = 0;  // 0 until made; then held for good (its one reference never dropped)
}  // namespace

uint32_t trampoline(bool rt) {
  if (g_frame == 0) {
    uint32_t pa;
    if (!memory().allocate(&pa)) return 0;
    signal_frame::put_trampolines(memory().at(pa));
    if (memory().sync_code(pa) != 0) {
      memory().free(pa);
      return 0;
    }
    g_frame = pa;
  }
  return kAddress + signal_frame::trampoline_offset(rt);
}

bool frame(uint32_t* pa) {
  *pa = g_frame;
  return g_frame != 0;
}

}  // namespace unixemu::sigreturn_page
