// Blocking a process on a long-term event (paper §2.3: "a thread blocked on a long-term
// event is unloaded from the Cache Kernel ... and reloaded when the event occurs").
//
// A system call that cannot go on records what its process waits for and unloads its
// own thread (block_process): the thread is written back with its state before the
// trap, its pc is put back on the trap, and it leaves the Cache Kernel. A waker (another
// process's call, or the first thread) ends the wait (wake_process / wake_waiters) and
// the first thread loads the thread again: it makes the same call again, which now
// finds what it waited for (or waits again). A call that blocks thus keeps nothing
// between its attempts but what it records in the process itself; whatever it did before
// blocking it must be willing to see again. A SIGKILL ends a waiting process at once
// (terminate_process). Used by wait4 and vfork; pipes, futexes, poll and sleeps are to
// use it too.
#pragma once

#include <stdint.h>

namespace unixemu {

struct Process;

// What a process waits for.
enum class WaitKind : uint8_t {
  None,
  Child,   // wait4/waitid: a child of its changing state (what: unused, any child)
  Vfork,   // vfork: its child (what: the child's pid) to exec or end
  Pipe,    // a pipe (what: the pipe's index): for the pipes to come
  Futex,   // a futex word (what: its address): for the threads to come
  Time,    // only its deadline (sleeps)
  Signal,  // any signal sent to it (sigsuspend, pause, sigtimedwait)
};

struct Wait {
  WaitKind kind = WaitKind::None;
  uint32_t what = 0;
  uint64_t deadline = 0;  // uptime_ns() at which the wait ends anyway (0: none)
};

// The caller's process (in its handler, holding the emulator's lock) waits for `kind`
// and `what` until a waker ends the wait or `deadline` passes (0: no deadline); its call
// is then made again. Releases the lock. Does not return.
[[noreturn]] void block_process(Process& p, WaitKind kind, uint32_t what, uint64_t deadline = 0);
// The same wait, but a wait in place that a waker ends returns true (holding the lock):
// the caller looks again itself, without its call being made again from the start (a
// dispatch and its checks fewer: issue 18 item 11's pipe round trip), or calls
// make_call_again. Only for a call whose state survives the wait: nothing it holds may
// change meanwhile unseen (another process's call may run while it waits). A long-term
// wait does not return (the call is made again once its thread is loaded again).
bool wait_here(Process& p, WaitKind kind, uint32_t what, uint64_t deadline = 0);
// After wait_here: the call is made again, as block_process's is. Does not return.
[[noreturn]] void make_call_again(Process& p);
// Ends `p`'s wait (if it waits): it is loaded again by the first thread, which this wakes.
void wake_process(Process& p);
// Ends the wait of every process waiting for `kind` and `what`: how many there were.
uint32_t wake_waiters(WaitKind kind, uint32_t what);

// The first thread's pass: ends the waits whose deadline has passed by `now`.
void expire_waits(uint64_t now);
// True once for a call made again because its deadline passed (a sleep's is over, a
// poll's timeout reached); cleared by the reading.
bool take_timed_out(Process& p);

}  // namespace unixemu
