// The kernel's main loop (paper §2.1, §2.3, §4.3): run the thread at the front of the
// run queue in its address space until it enters the kernel, deal with why, repeat.
// Every return to user mode goes through here; a thread that has run for a time slice
// (clock::slice_ticks()) goes behind the others of its level.
#pragma once

#include "fault.h"
#include "run_queue.h"

namespace ck {

enum class Disposition : u8 {
  Resume,  // run the thread on from its (possibly changed) context
  Yield,   // run it on later: it goes behind the other ready threads
  Remove,  // take it off the run queue; the handler owns it now
};

// Who decides what a thread's traps and faults mean. The object-cache layer forwards
// them to the thread's application kernel (paper §2.1); tests handle them directly.
class ThreadEvents {
 public:
  virtual Disposition trap(Thread& thread, u8 number) = 0;
  virtual Disposition fault(Thread& thread, const Fault& fault) = 0;
  // After the tick count advanced to `ticks` (time slices already counted). Returning
  // false ends run_threads at once, leaving the queue as it is.
  virtual bool tick(u64 ticks) {
    (void)ticks;
    return true;
  }
  // The thread used `ns` of processor time (in user mode, and the kernel's handling of
  // its entries) and, when `switched`, then lost the processor; it may have been
  // unloaded since. Reported when the processor switches and on every tick (so `ns`
  // is at most a tick's worth, far below 2^32).
  virtual void ran(Thread& thread, u32 ns, bool switched) {
    (void)thread;
    (void)ns;
    (void)switched;
  }
  // The queue is empty: true to wait for an interrupt (something may become ready on
  // a tick), false to end run_threads.
  virtual bool idle() { return false; }
  // Console input arrived (arch::console_poll() has it).
  virtual void input() {}
  // The disk's transfer ended (arch::disk_poll() says how).
  virtual void disk() {}
  // A call finished on the fast path changed what the thread runs (EntryKind::Call).
  virtual Disposition call_finished(Thread& thread) {
    (void)thread;
    return Disposition::Resume;
  }

 protected:
  ~ThreadEvents() = default;
};

struct RunStatistics {
  u64 entries = 0;   // entries from user mode, of any kind
  u64 switches = 0;  // times the processor went to a different thread
  u64 interrupts = 0;
  u64 idles = 0;  // waits for an interrupt with nothing ready
};

// Runs the queue's threads until it is empty (and `events` does not want to wait) or a
// tick handler says stop.
RunStatistics run_threads(RunQueue& queue, ThreadEvents& events);

// The thread run_threads is running now (the one a fast-path call comes from), or
// nullptr outside it.
Thread* running_thread();
// Where running_thread() is kept, for the entry path (arch::FastPathLinks).
Thread* const* running_thread_slot();
// The processor time the thread holding the processor has used since it was last
// charged (time is charged on switches and ticks only, so a thread that has run less
// than a tick has not been charged at all): 0 when idle or outside run_threads.
u64 uncharged_ns();

// From a call's fast path: `next`, now first in line, gets the processor straight from
// the call (its time counted from now, a new time slice if it is another thread); the
// run loop learns it when run_user returns. False, doing nothing, outside run_threads.
bool run_directly(Thread& next);

// Takes the machine's interrupt events into the portable kernel: advances the clock.
// Returns the events (the ticks that passed, whether console input arrived).
arch::InterruptEvents absorb_interrupt_events();

}  // namespace ck
