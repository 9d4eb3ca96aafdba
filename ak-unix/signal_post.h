// Sending a signal to a process (kill, tkill, tgkill; issue 18 item 1) with Linux's
// default actions (signal(7)): terminate (SIGTERM, SIGKILL, SIGINT, SIGHUP, the real-time
// signals...), terminate with a core (SIGQUIT, SIGSEGV, SIGABRT...; the status carries
// no core flag, as under qemu-m68k and any Linux with RLIMIT_CORE 0), ignore (SIGCHLD,
// SIGCONT, SIGURG, SIGWINCH). An ignored signal (SIG_IGN) is dropped. A caught one, a
// blocked one and a stop signal are recorded pending with their siginfo, and a target
// that must act on one now is interrupted (signal_delivery.h; paper §2.3 leaves signals
// to the emulator). Stopping is still to come (a stop signal is dropped when acted on).
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

// Sends `signal` to the process of `target`, which is not the caller's (a target that
// ends is terminated at once, wherever its threads are), with siginfo's code and its
// words (si_pid, si_uid, si_status; kill's: SI_USER and the sender's pid). One of its
// threads that does not block it takes it (process_threads.h, signal_thread).
void post_signal(Process& target, uint32_t signal, int32_t code, uint32_t w0 = 0, uint32_t w1 = 0, uint32_t w2 = 0);
// A signal to process `leader` that every thread of it blocks: kept in its shared
// pending set for the first thread that unblocks it or waits for it (its threads in
// sigtimedwait or sigsuspend look again).
void post_shared_signal(Process& leader, uint32_t signal, int32_t code, uint32_t w0 = 0, uint32_t w1 = 0,
                        uint32_t w2 = 0);
// The same for thread `target` itself (tkill, tgkill), which is not the caller; a signal
// whose action ends the process ends all of its threads.
void post_thread_signal(Process& target, uint32_t signal, int32_t code, uint32_t w0 = 0, uint32_t w1 = 0,
                        uint32_t w2 = 0);
// The same for the caller's own thread: true when the signal ends it (the caller then
// calls exit_process), else it is recorded (acted on as its call returns) or dropped.
bool post_signal_to_self(Process& p, uint32_t signal, int32_t code, uint32_t w0 = 0, uint32_t w1 = 0, uint32_t w2 = 0);

}  // namespace unixemu
