// Scheduling (paper §2.3, §4.3): loaded, ready threads wait on the run queue at a level
// given by their priority, one band lower while their kernel is over its CPU share; a
// thread can block (with a timeout) and be woken; the processor time threads use is
// charged to them and their kernels with the priority premium (cpu_share.h).
//
// Owns: the run queue, the timed blocks (soonest first), the share clock, the thread
// the processor runs, and per slot each thread's priority, timeout, pending wake-up and
// accounting and each kernel's share, priority ceiling and accounting.
// Invariants: the run queue holds exactly the Ready threads, each at run_level(); a
// thread has a timeout only while blocked; no thread's priority exceeds its kernel's
// ceiling (invariants.cpp). Blocking and waking change the thread's state through its
// transitions (thread_state.h).
#pragma once

#include "config.h"
#include "cpu_share.h"
#include "object_tables.h"
#include "run_queue.h"

namespace ck {

class Scheduler {
 public:
  explicit Scheduler(ObjectTables& tables) : tables_(tables) {}
  // Nothing queued, a new share window from `now`, buckets from tick `ticks` on.
  void reset(u64 now, u64 ticks);

  // ---- Kernels' shares (§4.3) -------------------------------------------------
  // A kernel just loaded: no share, no priorities; the first kernel: all of both.
  void admit_kernel(u32 kernel, u32 percent, u32 max_priority);
  // A new share and ceiling, applied at once to its loaded threads.
  void set_share(u32 kernel, u32 percent, u32 max_priority);
  u32 max_priority(u32 kernel) const { return kernels_[kernel].max_priority; }

  // ---- Threads -------------------------------------------------------------------
  // A thread just loaded: Ready at `priority`, queued.
  void admit(ThreadObject& t, u32 priority);
  // Before its slot is freed: off the queue and the timed blocks, not current.
  void retire(ThreadObject& t);
  u32 priority(u32 thread) const { return threads_[thread].priority; }
  void set_priority(ThreadObject& t, u32 priority);

  // CK_BLOCK: blocks `t` (`self`: its own call, which returns when it is woken), with a
  // timeout when `timeout_ns` is not 0. A thread already blocked gets the new timeout.
  void block(ThreadObject& t, bool self, u32 timeout_ns, u64 now);
  bool wake_pending(u32 thread) const { return threads_[thread].wake_pending; }
  // A wake-up sent before its own CK_BLOCK: consumed, and the block returns at once.
  bool take_wake_pending(ThreadObject& t);
  // Ends its block (a wake-up or its timeout): Ready, its call answered (CK_WAIT_SIGNAL
  // with 0, its own CK_BLOCK with the time: `now_low`, the clock's low 32 bits, as
  // CK_QUERY_TIME gives it).
  void unblock(ThreadObject& t, u32 now_low);
  // CK_WAKE: unblock() when it is blocked (true), else remembered for its next block.
  bool wake(ThreadObject& t, u32 now_low);
  // CK_WAIT_SIGNAL with no signal queued: it waits, off the queue.
  void wait_signal(ThreadObject& t);
  // A signal for a thread in CK_WAIT_SIGNAL: its call returns `va`.
  void signal_arrived(ThreadObject& t, u32 va);
  // Faulted with nowhere to go: off the queue until unloaded.
  void halt(ThreadObject& t);
  // The first timed block due at `now`, or null (the caller unblocks it).
  ThreadObject* due(u64 now) const;
  bool has_timed_blocks() const { return sleepers_ != kNoSlot; }

  // ---- Time (§4.3) ---------------------------------------------------------------
  // `ns` of processor time the thread just used; `dispatch_ended` when it then lost the
  // processor (ck_thread_stats::dispatches counts those). At most a tick's worth (the
  // run loop charges at every switch and tick); charged_ns() caps it at 2^31.
  void charge(const ThreadObject& t, u32 ns, bool dispatch_ended);
  // The same for a thread that lost the processor after `ns`, on the switch's path: kept
  // on the thread alone (two adds and a bit) and taken into its and its kernel's totals
  // and the share window at the next tick (advance()), or sooner when something reads
  // or changes what they depend on (the stats, a priority, a share, the thread's
  // unload). A thread that switches often between ticks pays the 64-bit totals and the
  // window's bucket once a tick, not once a switch; every figure read is as if charged
  // at once (the window's bucket is the same: the share clock moves only at a tick).
  void charge_switch(const ThreadObject& t, u32 ns) {
    const u32 slot = t.slot();
    ThreadSchedule& s = threads_[slot];
    s.unsettled_ns += ns;
    s.unsettled_dispatches += 1;
    unsettled_[slot >> 5] |= 1u << (slot & 31);
  }
  // Every switch's time kept on its thread taken into the totals (charge_switch()).
  void settle();
  // The tick count reached `ticks` at `now`: the share window moves on, kernels over or
  // back under their share change level.
  void advance(u64 ticks, u64 now);

  ck_thread_stats thread_stats(const ThreadObject& t) const;
  ck_kernel_stats kernel_stats(u32 kernel) const;

  // The thread the processor runs (never chosen for reclamation), or null.
  void set_current(ThreadObject* t) { current_ = t; }
  ThreadObject* current() const { return current_; }
  // Where current() is kept, for the entry path (arch::FastPathLinks).
  ThreadObject** current_slot() { return &current_; }
  RunQueue& run_queue() { return run_queue_; }
  const RunQueue& run_queue() const { return run_queue_; }
  u8 run_level(const ThreadObject& t) const;

 private:
  friend class Invariants;

  struct ThreadSchedule {
    u32 priority = 0;
    bool wake_pending = false;  // woken while not blocked
    u64 wake_at = 0;            // when a timed block ends (0: none)
    u32 sleep_next = kNoSlot;   // the timed blocks, soonest first
    u64 run_ns = 0;
    u64 charged_ns = 0;
    u32 dispatches = 0;
    // Switches' time not yet in the totals (charge_switch()): it is at most a few ticks'
    // worth, settled at every tick.
    u32 unsettled_ns = 0;
    u32 unsettled_dispatches = 0;
  };
  struct KernelShare {
    u32 cpu_percent = 0;
    u32 max_priority = 0;
    u64 run_ns = 0;
    u64 charged_ns = 0;
    ShareWindow window;
    bool throttled = false;  // over its share: its threads run below everyone else's
  };

  void make_ready(ThreadObject& t);
  void requeue(ThreadObject& t);
  void requeue_kernel(u32 kernel);
  void insert_sleeper(u32 thread);
  void remove_sleeper(u32 thread);
  bool over_share(const KernelShare& k, u64 now) const;
  void update_throttle(u32 kernel, u64 now);
  void charge_totals(u32 slot, u32 kernel, u32 ns, u32 dispatches);
  // One thread's switches' time into the totals (charge_switch()).
  void settle(u32 slot);
  // What settle() would add to a kernel's totals, for the stats without settling.
  struct Unsettled {
    u64 run_ns = 0;
    u64 charged_ns = 0;
  };
  Unsettled unsettled(u32 kernel) const;

  ObjectTables& tables_;
  RunQueue run_queue_;
  u32 sleepers_ = kNoSlot;
  ShareClock share_clock_;
  u64 next_bucket_tick_ = 0;
  ThreadObject* current_ = nullptr;
  ThreadSchedule threads_[kThreadCapacity];
  // A bit per thread slot whose unsettled_ns or unsettled_dispatches may not be 0.
  static constexpr u32 kUnsettledWords = (kThreadCapacity + 31) / 32;
  u32 unsettled_[kUnsettledWords] = {};
  KernelShare kernels_[kKernelCapacity];
};

}  // namespace ck
