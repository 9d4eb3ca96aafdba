// panic(): the kernel found itself in a state it cannot continue from. Prints the
// message, registers and stack, and ends the run with a failure status.
#pragma once

#include "arch/arch.h"
#include "lib/format.h"

namespace ck {

template <typename... Args>
[[noreturn]] void panic(StrView fmt, const Args&... args) {
  char message[160];
  arch::panic_stop(format_into(message, sizeof message, fmt, args...));
}

}  // namespace ck
