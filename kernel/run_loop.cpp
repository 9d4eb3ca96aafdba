// The kernel's main loop (run_loop.h).
#include "run_loop.h"

#include "clock.h"

namespace ck {

arch::InterruptEvents absorb_interrupt_events() {
  const arch::InterruptEvents e = arch::take_interrupt_events();
  clock::advance(e.ticks);
  return e;
}

namespace {
Thread* g_running;
}  // namespace

Thread* running_thread() { return g_running; }
Thread* const* running_thread_slot() { return &g_running; }

namespace {
// The processor's time, charged to the thread that used it: from its dispatch to the
// next switch, its entries' handling included; idle time to no one. The clock is read
// only when the processor goes to another thread and on ticks, not on every entry, and
// only its low 32 bits (one register read, 32-bit differences): a running thread is
// charged at every tick (at least 10 a second, clock::kMinTickHz), so no difference
// comes near the 4.29 s at which it would wrap.
class TimeCharger {
 public:
  explicit TimeCharger(ThreadEvents& events) : events_(events), since_(arch::clock_low_ns()) {}
  // The processor goes to `t` (nullptr: idle).
  void now_running(Thread* t) {
    if (t == running_) return;
    charge(true);
    running_ = t;
  }
  // A tick: the running thread's time so far counts now (its dispatch goes on).
  void tick() { charge(false); }
  u32 uncharged() const { return running_ != nullptr ? arch::clock_low_ns() - since_ : 0; }

 private:
  void charge(bool switched) {
    const u32 now = arch::clock_low_ns();
    if (running_ != nullptr) events_.ran(*running_, now - since_, switched);
    since_ = now;
  }

 private:
  ThreadEvents& events_;
  Thread* running_ = nullptr;
  u32 since_;  // the clock's low word at the last charge
};

// What run_threads keeps about the thread it runs, reachable by run_directly().
struct Dispatch {
  RunStatistics stats;
  TimeCharger charger;
  const Thread* last = nullptr;
  u32 slice_left = 0;  // ticks `last` may still run before the next of its level

  explicit Dispatch(ThreadEvents& events) : charger(events) {}
  // `t` gets the processor: a new slice if it is another thread than before.
  void dispatch(Thread& t) {
    if (&t != last) {
      if (last != nullptr) stats.switches += 1;
      last = &t;
      slice_left = 0;
    }
    if (slice_left == 0) slice_left = clock::slice_ticks();
    charger.now_running(&t);
    g_running = &t;
  }
};
Dispatch* g_dispatch;  // while run_threads runs
}  // namespace

u64 uncharged_ns() { return g_dispatch != nullptr ? g_dispatch->charger.uncharged() : 0; }

bool run_directly(Thread& next) {
  if (g_dispatch == nullptr || g_running == nullptr) return false;
  g_dispatch->dispatch(next);
  return true;
}

RunStatistics run_threads(RunQueue& queue, ThreadEvents& events) {
  Dispatch run(events);
  Dispatch* const outer = g_dispatch;
  g_dispatch = &run;
  RunStatistics& stats = run.stats;
  TimeCharger& charger = run.charger;
  for (;;) {
    if (queue.empty()) {
      charger.now_running(nullptr);
      if (!events.idle()) break;
      stats.idles += 1;
      arch::wait_for_interrupt();
      const arch::InterruptEvents e = absorb_interrupt_events();
      if (e.console_input) events.input();
      if (e.disk) events.disk();
      if (e.ticks != 0 && !events.tick(clock::ticks())) break;
      continue;
    }
    Thread& next = *queue.front();
    // The same thread may now run elsewhere (its kernel's exception handler).
    arch::switch_address_space(next.space->tables);
    run.dispatch(next);
    const UserEntry entry = arch::run_user(*next.context, next.space->calls);
    // A call may have handed the processor to another thread on the way (run_directly):
    // the entry is the one running now.
    Thread& t = *g_running;
    g_running = nullptr;
    stats.entries += 1;
    Disposition d = Disposition::Resume;
    switch (entry.kind) {
      case EntryKind::Interrupt:
        stats.interrupts += 1;
        break;
      case EntryKind::Trap:
        d = events.trap(t, entry.trap);
        break;
      case EntryKind::Fault:
        d = events.fault(t, entry.fault);
        break;
      case EntryKind::Call:
        d = events.call_finished(t);
        break;
    }
    if (d == Disposition::Yield && queue.front() == &t) queue.rotate();
    if (d == Disposition::Remove && queue.contains(t)) {
      queue.remove(t);
      arch::save_user_context(*t.context);
    }
    const arch::InterruptEvents e = absorb_interrupt_events();
    if (e.console_input) events.input();
    if (e.disk) events.disk();
    if (const u32 ticks = e.ticks; ticks != 0) {
      charger.tick();
      run.slice_left = ticks < run.slice_left ? run.slice_left - ticks : 0;
      // Its slice is used up: behind the others of its level (a new slice either way).
      if (run.slice_left == 0 && queue.contains(t)) queue.rotate(t);
      if (!events.tick(clock::ticks())) break;
    }
  }
  charger.now_running(nullptr);
  g_dispatch = outer;
  return stats;
}

}  // namespace ck
