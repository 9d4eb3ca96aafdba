// Acting on signals (issue 18 item 3; paper §2.3: the emulator, not the Cache Kernel,
// implements UNIX signals): a caught signal gets Linux/m68k's frame on the user stack
// and the thread goes on in its handler; a default action ends the process or drops the
// signal.
//
// A system call that returns with signals to act on (its own kill, a mask that unblocks
// one, a wait a signal ended, sigreturn) has them acted on in place, by its handler, on
// its exception frame's registers and the interrupted context's FPU, which the Cache
// Kernel reads and sets for it (CK_EXCEPTION_FPU: the handler runs on a reset FPU of its
// own); the thread resumes with the registers the frame then holds (act_in_place).
//
// Everything else is acted on while a process's thread is out of the Cache Kernel, on the
// state it was written back with (registers, FPU, the writes an access error left
// pending: ck_thread_state), just before the first thread loads it again
// (reload_displaced). A process gets there:
//   - by a system call whose signals stop or end the process by their default action
//     (act_in_place leaves those): its handler marks the call done and blocks, and the
//     first thread unloads it;
//   - by a fault that raises a signal it catches (the same, on the fault's state, whose
//     pending writes a handler's frame holds back until its sigreturn);
//   - sent a signal by another process while it runs: the sender unloads its thread;
//   - waiting (blocking.h) or reading the console: the wait ends and the call, made
//     again, ends with EINTR or ERESTARTSYS.
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// The signal to act on next: pending and not blocked, synchronous ones (SIGSEGV, SIGBUS,
// SIGILL, SIGTRAP, SIGFPE, SIGSYS) first, then the lowest; 0 when none.
uint32_t next_signal(const Process& p);
// Whether there is one (every system call's return asks): inline, without the choice.
inline bool signal_ready(const Process& p) {
  return ((p.pending_signals | p.group().shared_signals) & ~p.signal_mask) != 0;
}

// Records `signal` pending for `p` with its siginfo (code and the union's three words).
// A standard signal already pending stays pending once; a real-time one is queued behind
// it (signal_queue.h). False when the instance was not kept: a standard signal already
// pending, or no room left in the queue.
bool record_signal(Process& p, uint32_t signal, int32_t code, uint32_t w0 = 0, uint32_t w1 = 0, uint32_t w2 = 0);
// The same for the process of `p` (its shared set: every thread blocked it when sent).
bool record_shared_signal(Process& p, uint32_t signal, int32_t code, uint32_t w0 = 0, uint32_t w1 = 0, uint32_t w2 = 0);

// What is pending for thread `p`: its own signals and its process's shared ones.
uint64_t pending_set(const Process& p);
// Takes `signal` (pending for `p`: its own first, else its process's) off the pending
// sets: its siginfo. A real-time signal with instances queued behind it stays pending
// with the next one's siginfo.
PendingInfo take_pending(Process& p, uint32_t signal);
// Drops `signals` wherever they are pending in `p`'s process (every thread, the shared
// set), queued instances too.
void drop_pending(Process& p, uint64_t signals);

// `target` (not the caller's process) has a signal it must act on now: its wait ends or
// its thread leaves the Cache Kernel to be loaded again with the signal acted on.
void interrupt_process(Process& target);

// The caller's process (in its handler, holding the lock; its exception frame ready to
// resume with, marked done for a system call) leaves the Cache Kernel to act on its
// signals: releases the lock, does not return.
[[noreturn]] void interrupt_self(Process& p);

// The caller's own signals, from its handler (holding the lock) as its system call ends,
// on its exception frame `e` (marked done): a sigreturn, then each signal to act on, the
// frame's registers and the interrupted context's FPU changed as a written-back state's
// would be. False when what is left needs the written-back path (a stop or death by a
// default action, a fault's held-back writes, the thread already being interrupted):
// interrupt_self then acts on the rest, from the state as it now is. A handler's frame
// that cannot be written or a sigreturn's refused frame ends the process (SIGSEGV) here.
bool act_in_place(Process& p, ck_exception& e);

// The first thread's pass: unloads the threads of processes interrupt_self marked.
void unload_interrupted();

// Before a written-back thread is loaded again (the first thread, holding the lock): its
// pending signals are acted on, in p.saved. False when a signal ended or stopped the
// process (a stopped one is loaded again once SIGCONT continues it).
bool act_on_signals(Process& p);

// SIGCONT sent to `p` (before its action is looked at, as Linux's prepare_signal does):
// pending stop signals are dropped and a stopped process goes on, all its threads. A stop
// signal sent drops a pending SIGCONT.
void continue_process(Process& p);
void drop_pending_continue(Process& p);

}  // namespace unixemu
