// libak start-up: constructors, ak_main, the exit code, unloading the first thread. The C
// runtime (memcpy and friends) is the kernel's, common/lib/runtime.cpp.
#include <stdint.h>

#include "libak.h"

extern "C" {
using InitFunction = void (*)();
extern InitFunction __init_array_start[], __init_array_end[];
}  // extern "C"

namespace ak {
namespace {
const ck_boot_info* g_boot_info;
}  // namespace

const ck_boot_info& boot_info() { return *g_boot_info; }

bool touch_pages(const void* p, uint32_t bytes) {
  constexpr uint32_t kPage = 4096;
  if (g_boot_info == nullptr || g_boot_info->paged_memory == 0 || bytes == 0) return false;
  const uint32_t start = reinterpret_cast<uint32_t>(p), end = start + bytes;
  if (end < start) return false;  // wraps: no page of it is the kernel's to touch
  for (uint32_t at = start; at < end; at = (at | (kPage - 1)) + 1) (void)*reinterpret_cast<const volatile uint8_t*>(at);
  return true;
}

}  // namespace ak

extern "C" [[noreturn]] void ak_start(ck_boot_info* info) {
  // The loader zero-fills .bss; constructors run here.
  ak::g_boot_info = info;
  for (InitFunction* f = __init_array_start; f != __init_array_end; ++f) (*f)();
  info->exit_code = static_cast<uint32_t>(ak_main(*info));
  ak::flush_console();
  ak::unload_thread(info->thread);
  for (;;) {
  }
}
