// The emulator's scheduling policy (paper §2.3, §4.3; issue 18 item 7): the decisions of
// its scheduling thread (scheduling_thread.h), kept free of Cache Kernel calls so that the
// host tests can drive them (tests/host/unix_scheduler_test.cpp).
//
// The Cache Kernel schedules the loaded threads by fixed priority, round robin within a
// level; the emulator's policy is which priority each process's thread has:
// - The emulator's own threads (the first thread, the scheduling thread) are above every
//   process's, so that the emulator keeps its share of the processor (§4.3).
// - A process starts at its interactive level (`base`: 20 + nice mapped onto the
//   Cache Kernel's levels below the emulator's).
// - Every period the scheduling thread looks at each loaded thread's processor time since
//   its last look: one that used at least half its fair share of the period (the period
//   over the threads that ran in it) is compute-bound there and goes one level down,
//   step by step, to a floor; one that got almost nothing for kAgingPeriods periods in a
//   row (starved by those above it) goes one level back up (aging, so that no
//   compute-bound process starves for ever; not after one period, as the Cache Kernel's
//   time slices are a third of a period: of three spinners one level apart the one a
//   level down is starved while the others come down to it).
// - A thread that blocks on a long-term event (terminal input, wait, pipes, sleeps:
//   blocking.h; it leaves the Cache Kernel meanwhile) is favoured: it is loaded again at
//   its interactive level. A thread the Cache Kernel displaced keeps its level.
// - A fork's child starts at its parent's level (a compute-bound process's children do
//   not start above it) and with its nice value; exec keeps both, as Linux keeps nice.
//
// Records are per process slot. The scheduling thread reads and writes them without the
// emulator's lock (it must never wait for a lock a thread it is about to lower may
// hold); each field it shares is a single word, and a race costs one level for a period.
#pragma once

#include <stdint.h>

namespace unixemu {

// The Cache Kernel priorities the policy uses, from the kernel's ceiling down.
struct SchedulingLevels {
  uint32_t emulator = 0;     // the emulator's own threads
  uint32_t top = 0;          // the highest a process may have (nice -20)
  uint32_t interactive = 0;  // a nice 0 process's base
  uint32_t floor = 0;        // the lowest a compute-bound nice 0 process goes
};

// The levels under a kernel whose threads may have priorities up to `ceiling`.
SchedulingLevels levels_for(uint32_t ceiling);

// Linux's nice range.
inline constexpr int32_t kNiceMin = -20;
inline constexpr int32_t kNiceMax = 19;
// Levels a compute-bound process may fall below its base.
inline constexpr uint32_t kDegradeDepth = 8;
// Periods in a row a thread must be starved before it is raised a level.
inline constexpr uint32_t kAgingPeriods = 4;

// A process's interactive level for `nice` (each 4 of nice one level, clamped into
// [1, top] or what the levels allow), and the floor its degradation stops at.
uint32_t base_priority(const SchedulingLevels& levels, int32_t nice);
uint32_t floor_priority(const SchedulingLevels& levels, int32_t nice);

// One thread's next priority after a period in which it used `used_ns` of a fair share
// of `fair_ns`: down a level when compute-bound, up a level when starved for the
// kAgingPeriods-th period in a row (`*starved` counts them), else kept; always within
// [floor, base].
uint32_t next_priority(uint32_t current, uint64_t used_ns, uint64_t fair_ns, uint32_t base, uint32_t floor,
                       uint32_t* starved);

// A loaded thread as the scheduling thread sampled it.
struct ThreadSample {
  uint32_t slot = 0;      // its process's slot
  uint32_t thread = 0;    // its Cache Kernel id
  uint64_t run_ns = 0;    // processor time it used since it was loaded
  uint32_t priority = 0;  // its priority now
};

class Scheduler {
 public:
  static constexpr uint32_t kSlots = 64;  // ProcessTable::kMax

  void set_levels(const SchedulingLevels& levels) { levels_ = levels; }
  const SchedulingLevels& levels() const { return levels_; }

  // ---- Called under the emulator's lock --------------------------------------------
  // A new process in `slot` (no parent's level to inherit): nice 0, interactive.
  void started(uint32_t slot);
  // A fork's child in `child` inherits `parent`'s nice and level.
  void forked(uint32_t parent, uint32_t child);
  // Its thread left the Cache Kernel for a long-term wait: favoured at its next load.
  void waited_long(uint32_t slot);
  // The priority to load its thread at (a favoured thread's is its base again).
  uint32_t priority_at_load(uint32_t slot);
  // setpriority/nice: clamped into Linux's range; its level moves with its base.
  void set_nice(uint32_t slot, int32_t nice);
  int32_t nice(uint32_t slot) const { return slot < kSlots ? records_[slot].nice : 0; }
  // Its level as last loaded or planned.
  uint32_t level(uint32_t slot) const { return slot < kSlots ? records_[slot].priority : levels_.interactive; }
  // The priority field of /proc/PID/stat: Linux's 20 + nice for a process at its base
  // (or waiting on a long-term event, to be loaded there), one more for each level it has
  // been degraded.
  int32_t proc_priority(uint32_t slot) const;

  // ---- The scheduling thread's period ------------------------------------------------
  // The period's look at `count` loaded threads, `elapsed_ns` after the previous look:
  // writes each one's new priority to `next` (the caller asks the Cache Kernel for those
  // that changed) and remembers them.
  void plan(const ThreadSample* samples, uint32_t count, uint64_t elapsed_ns, uint32_t* next);

 private:
  struct Record {
    volatile uint32_t priority = 0;  // its level (as loaded, or as last planned)
    volatile int32_t nice = 0;
    volatile bool favoured = false;  // loaded at its base next time
    // The scheduling thread's own: the thread it last saw and its time then.
    uint32_t seen_thread = 0;
    uint64_t seen_run_ns = 0;
    uint32_t starved = 0;  // periods in a row it got almost nothing
  };
  Record* record(uint32_t slot) { return slot < kSlots ? &records_[slot] : nullptr; }

  SchedulingLevels levels_ = levels_for(16);
  Record records_[kSlots];
};

Scheduler& scheduler();

}  // namespace unixemu
