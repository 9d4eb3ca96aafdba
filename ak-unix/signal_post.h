// Sending a signal to a process (kill, tkill, tgkill; issue 18 item 1) with Linux's
// default actions (signal(7)): terminate (SIGTERM, SIGKILL, SIGINT, SIGHUP, the real-time
// signals...), terminate with a core (SIGQUIT, SIGSEGV, SIGABRT...; the status carries
// no core flag, as under qemu-m68k and any Linux with RLIMIT_CORE 0), ignore (SIGCHLD,
// SIGCONT, SIGURG, SIGWINCH). An ignored signal (SIG_IGN) is dropped. A caught one, a
// blocked one and a stop signal are recorded pending: handlers, masks' unblocking and
// stopping are the signals work still to come (paper §2.3 leaves signals to the emulator).
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

enum class DefaultAction : uint8_t { Terminate, Core, Ignore, Stop, Continue };
DefaultAction default_action(uint32_t signal);

// What sending `signal` (1..64) to `target` does now: the target ends, the signal is
// recorded pending, or nothing.
enum class Delivery : uint8_t { Ends, Pending, Dropped };
Delivery delivery_of(const Process& target, uint32_t signal);

// Sends `signal` to `target`, which is not the caller (a target that ends is
// terminated at once, wherever its thread is).
void post_signal(Process& target, uint32_t signal);

}  // namespace unixemu
