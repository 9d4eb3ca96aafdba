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
