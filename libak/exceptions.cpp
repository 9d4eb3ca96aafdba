// Exception dispatch of an application kernel (paper §2.1): the Cache Kernel enters
// ak_exception_entry on the faulting thread's exception stack with the ck_exception
// frame; it goes to the kernel's handler object.
#include "libak.h"

namespace ak {
namespace {

ExceptionHandler* g_handler;

}  // namespace

// No handler object took it: the kernel has no handler for this exception. The thread
// leaves as faulted and the SRM, which started the kernel, decides what becomes of it.
void unhandled_exception(const ck_exception& e) {
  print("ak: unhandled {} (vector {}) at pc {:#010x}, address {:#010x}, thread {:#x}\n",
        StrView(exception_kind_name(e.kind)), e.vector, e.regs.pc, e.address, e.thread);
  give_up(&e);
  unload_thread(e.thread);  // only if giving up failed
  for (;;) {
  }
}

void set_exception_handler(ExceptionHandler* handler) { g_handler = handler; }

const char* exception_kind_name(uint32_t kind) {
  static const char* const kNames[] = {"trap",    "mapping fault",  "protection fault", "bus error", "address error",
                                       "illegal", "privilege",      "zero divide",      "check",     "overflow",
                                       "trace",   "floating point", "format error",     "unknown"};
  return kind < sizeof kNames / sizeof kNames[0] ? kNames[kind] : "?";
}

}  // namespace ak

// Weak: a kernel may enter its handler directly (libak.h).
extern "C" [[gnu::weak]] [[noreturn]] void ak_exception_entry(ck_exception* e) {
  if (ak::g_handler != nullptr) ak::g_handler->exception(*e);
  // A handler that returns has not resumed the thread.
  ak::unhandled_exception(*e);
}
