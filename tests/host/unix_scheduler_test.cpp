// The emulator's scheduling policy (ak-unix/scheduler.h; paper §2.3, §4.3, issue 18
// item 7): its levels, one thread's step, the records a load and a fork use, and a
// simulated processor on which compute-bound processes sink below an interactive shell.
#include "scheduler.h"

#include <gtest/gtest.h>

#include <vector>

namespace unixemu {
namespace {

constexpr uint64_t kPeriodNs = 30'000'000;

TEST(UnixScheduler, LevelsUnderTheDefaultCeiling) {
  const SchedulingLevels l = levels_for(16);
  EXPECT_EQ(l.emulator, 16u);
  EXPECT_EQ(l.top, 15u);
  EXPECT_EQ(l.interactive, 12u);
  EXPECT_EQ(l.floor, 4u);
}

TEST(UnixScheduler, LevelsUnderLowCeilingsStayOrdered) {
  for (uint32_t ceiling = 0; ceiling < 32; ++ceiling) {
    const SchedulingLevels l = levels_for(ceiling);
    EXPECT_EQ(l.emulator, ceiling);
    EXPECT_LE(l.top, l.emulator);
    EXPECT_LE(l.interactive, l.top);
    EXPECT_LE(l.floor, l.interactive);
    if (ceiling >= 1) {
      EXPECT_LT(l.top, l.emulator) << ceiling;  // the emulator stays above
    }
  }
  EXPECT_EQ(levels_for(0).top, 0u);
  EXPECT_EQ(levels_for(3).interactive, 2u);
  EXPECT_EQ(levels_for(3).floor, 1u);
}

TEST(UnixScheduler, NiceMovesTheBaseAndTheFloor) {
  const SchedulingLevels l = levels_for(16);
  EXPECT_EQ(base_priority(l, 0), 12u);
  EXPECT_EQ(floor_priority(l, 0), 4u);
  EXPECT_EQ(base_priority(l, 19), 8u);
  EXPECT_EQ(floor_priority(l, 19), 1u);   // never level 0
  EXPECT_EQ(base_priority(l, -20), 15u);  // never the emulator's
  EXPECT_EQ(floor_priority(l, -20), 7u);
  EXPECT_EQ(base_priority(l, 1000), base_priority(l, 19));
  EXPECT_EQ(base_priority(l, -1000), base_priority(l, -20));
  for (int32_t nice = kNiceMin; nice < kNiceMax; ++nice)
    EXPECT_GE(base_priority(l, nice), base_priority(l, nice + 1)) << nice;
}

TEST(UnixScheduler, OneStepAPeriod) {
  uint32_t starved = 0;
  // Compute-bound (at least half its fair share): one level down, not below the floor.
  EXPECT_EQ(next_priority(12, 15, 30, 12, 4, &starved), 11u);
  EXPECT_EQ(next_priority(4, 30, 30, 12, 4, &starved), 4u);
  // Starved (under an eighth of its share): one level up after kAgingPeriods of it.
  for (uint32_t period = 1; period < kAgingPeriods; ++period) {
    EXPECT_EQ(next_priority(6, 0, 30, 12, 4, &starved), 6u);
    EXPECT_EQ(starved, period);
  }
  EXPECT_EQ(next_priority(6, 0, 30, 12, 4, &starved), 7u);
  EXPECT_EQ(starved, 0u);
  // A period of computing in between starts the count again.
  for (uint32_t period = 1; period < kAgingPeriods; ++period) next_priority(6, 0, 30, 12, 4, &starved);
  EXPECT_EQ(next_priority(6, 20, 30, 12, 4, &starved), 5u);
  EXPECT_EQ(starved, 0u);
  // Never above its base.
  starved = kAgingPeriods - 1;
  EXPECT_EQ(next_priority(12, 0, 30, 12, 4, &starved), 12u);
  // In between: kept, the count cleared.
  starved = 2;
  EXPECT_EQ(next_priority(9, 10, 30, 12, 4, &starved), 9u);
  EXPECT_EQ(starved, 0u);
  // Nobody ran: kept; a level outside [floor, base] (nice changed) comes back inside.
  EXPECT_EQ(next_priority(9, 0, 0, 12, 4, &starved), 9u);
  EXPECT_EQ(next_priority(14, 10, 30, 12, 4, &starved), 12u);
  EXPECT_EQ(next_priority(2, 10, 30, 12, 4, &starved), 4u);
}

TEST(UnixScheduler, AFavouredThreadIsLoadedAtItsBase) {
  Scheduler s;
  s.started(3);
  EXPECT_EQ(s.priority_at_load(3), 12u);
  // Degraded by three periods of computing.
  ThreadSample sample{.slot = 3, .thread = 77, .run_ns = 0, .priority = 12};
  uint32_t next = 0;
  for (int period = 1; period <= 3; ++period) {
    sample.run_ns += kPeriodNs;
    s.plan(&sample, 1, kPeriodNs, &next);
    sample.priority = next;
  }
  EXPECT_EQ(next, 9u);
  EXPECT_EQ(s.proc_priority(3), 23);
  // Displaced by the Cache Kernel: it comes back where it was.
  EXPECT_EQ(s.priority_at_load(3), 9u);
  // Blocked on a long-term event: favoured once, at its base.
  s.waited_long(3);
  EXPECT_EQ(s.proc_priority(3), 20);  // shown at its base while it waits
  EXPECT_EQ(s.priority_at_load(3), 12u);
  EXPECT_EQ(s.proc_priority(3), 20);
  EXPECT_EQ(s.priority_at_load(3), 12u);
}

TEST(UnixScheduler, AForkInheritsNiceAndLevelAStartDoesNot) {
  Scheduler s;
  s.started(1);
  s.set_nice(1, 8);
  EXPECT_EQ(s.nice(1), 8);
  EXPECT_EQ(s.priority_at_load(1), 10u);
  s.forked(1, 2);
  EXPECT_EQ(s.nice(2), 8);
  EXPECT_EQ(s.priority_at_load(2), 10u);
  EXPECT_EQ(s.proc_priority(2), 28);
  s.started(2);
  EXPECT_EQ(s.nice(2), 0);
  EXPECT_EQ(s.priority_at_load(2), 12u);
  // Out of range slots change nothing and answer defaults.
  s.started(Scheduler::kSlots);
  s.forked(Scheduler::kSlots, 5);
  EXPECT_EQ(s.priority_at_load(5), 12u);
  EXPECT_EQ(s.nice(Scheduler::kSlots + 7), 0);
}

TEST(UnixScheduler, NiceKeepsTheDegradation) {
  Scheduler s;
  s.started(0);
  ThreadSample sample{.slot = 0, .thread = 5, .run_ns = 0, .priority = 12};
  uint32_t next = 0;
  for (int period = 0; period < 2; ++period) {
    sample.run_ns += kPeriodNs;
    s.plan(&sample, 1, kPeriodNs, &next);
    sample.priority = next;
  }
  EXPECT_EQ(next, 10u);
  s.set_nice(0, 19);  // base 8, two levels down: 6
  EXPECT_EQ(s.priority_at_load(0), 6u);
  EXPECT_EQ(s.proc_priority(0), 41);
  s.set_nice(0, -100);  // clamped to -20
  EXPECT_EQ(s.nice(0), -20);
  EXPECT_EQ(s.priority_at_load(0), 13u);
}

// A processor the Cache Kernel's way, a millisecond at a time: the highest level with a
// thread that wants the processor runs, round robin within the level with a time slice
// of kSliceMs (a tick: a third of a period). A thread wants `demand_ms` a period (a
// spinner: all of it), from the period's start.
constexpr uint32_t kPeriodMs = 30, kSliceMs = 10;

struct Simulated {
  uint32_t slot, thread;
  uint32_t demand_ms;
  uint32_t priority = 12;
  uint64_t run_ns = 0;
  uint32_t got_ms = 0;  // this period's
};

struct Processor {
  std::vector<Simulated> threads;
  uint32_t current = 0, slice_left = 0;  // round robin position and what is left of its slice

  bool wants(const Simulated& t) const { return t.got_ms < t.demand_ms; }
  void period(Scheduler& s) {
    for (Simulated& t : threads) t.got_ms = 0;
    for (uint32_t ms = 0; ms < kPeriodMs; ++ms) {
      int top = -1;
      for (const Simulated& t : threads)
        if (wants(t) && static_cast<int>(t.priority) > top) top = static_cast<int>(t.priority);
      if (top < 0) break;
      // The current thread keeps the processor for its slice if it still leads.
      Simulated& c = threads[current];
      if (slice_left == 0 || !wants(c) || static_cast<int>(c.priority) != top) {
        for (size_t n = 1; n <= threads.size(); ++n) {
          const uint32_t i = static_cast<uint32_t>((current + n) % threads.size());
          if (wants(threads[i]) && static_cast<int>(threads[i].priority) == top) {
            current = i;
            break;
          }
        }
        slice_left = kSliceMs;
      }
      threads[current].got_ms += 1;
      slice_left -= 1;
    }
    std::vector<ThreadSample> samples;
    for (Simulated& t : threads) {
      t.run_ns += t.got_ms * 1'000'000ull;
      samples.push_back({.slot = t.slot, .thread = t.thread, .run_ns = t.run_ns, .priority = t.priority});
    }
    std::vector<uint32_t> next(samples.size());
    s.plan(samples.data(), static_cast<uint32_t>(samples.size()), kPeriodNs, next.data());
    for (size_t i = 0; i < threads.size(); ++i) threads[i].priority = next[i];
  }
};

TEST(UnixScheduler, SpinnersSinkBelowTheShell) {
  for (uint32_t spinners = 1; spinners <= 5; ++spinners) {
    Scheduler s;
    Processor cpu;
    // The shell wants 1 ms a period; the spinners want everything.
    for (uint32_t slot = 0; slot <= spinners; ++slot) {
      s.started(slot);
      cpu.threads.push_back({.slot = slot, .thread = 100 + slot, .demand_ms = slot == 0 ? 1 : kPeriodMs});
    }
    for (int period = 0; period < 40; ++period) cpu.period(s);
    EXPECT_EQ(cpu.threads[0].priority, 12u) << spinners;  // the shell keeps its level
    // The spinners at the floor (or, aging, a level above it for a moment).
    for (uint32_t i = 1; i <= spinners; ++i) EXPECT_LE(cpu.threads[i].priority, 5u) << spinners << " " << i;
    // Once down, the shell's millisecond comes every period, and the spinners share the rest.
    for (int period = 0; period < 30; ++period) {
      cpu.period(s);
      EXPECT_EQ(cpu.threads[0].got_ms, 1u);
    }
    EXPECT_EQ(s.proc_priority(0), 20);
    EXPECT_GE(s.proc_priority(1), 27);
  }
}

TEST(UnixScheduler, WithoutThePolicySpinnersShareWithTheShell) {
  // What the policy changes: at one level (no plan) the shell waits behind the spinners'
  // slices, and gets its millisecond only in some periods.
  Scheduler s;
  Processor cpu;
  for (uint32_t slot = 0; slot <= 3; ++slot)
    cpu.threads.push_back({.slot = slot, .thread = 100 + slot, .demand_ms = slot == 0 ? 1 : kPeriodMs});
  uint32_t late = 0;
  for (int period = 0; period < 30; ++period) {
    for (Simulated& t : cpu.threads) t.got_ms = 0;
    // One period without the plan (the priorities kept).
    const std::vector<Simulated> before = cpu.threads;
    cpu.period(s);
    for (size_t i = 0; i < cpu.threads.size(); ++i) cpu.threads[i].priority = before[i].priority;
    if (cpu.threads[0].got_ms == 0) late += 1;
  }
  EXPECT_GT(late, 0u);
}

TEST(UnixScheduler, AStarvedSpinnerIsRaisedUntilItShares) {
  Scheduler s;
  s.started(0);
  s.started(1);
  s.set_nice(1, 19);  // base 8, floor 1: below the other one's floor once that is down
  Processor cpu;
  cpu.threads = {{.slot = 0, .thread = 1, .demand_ms = kPeriodMs},
                 {.slot = 1, .thread = 2, .demand_ms = kPeriodMs, .priority = 8}};
  uint32_t second_got = 0;
  for (int period = 0; period < 100; ++period) {
    cpu.period(s);
    if (period >= 40) second_got += cpu.threads[1].got_ms;
  }
  // Never starved for ever: it climbs back after kAgingPeriods of nothing.
  EXPECT_GT(second_got, 0u);
  EXPECT_GE(cpu.threads[0].priority, 4u);
}

TEST(UnixScheduler, ANewThreadInASlotStartsItsCountAfresh) {
  Scheduler s;
  s.started(2);
  ThreadSample a{.slot = 2, .thread = 10, .run_ns = 5 * kPeriodNs, .priority = 12};
  uint32_t next = 0;
  s.plan(&a, 1, kPeriodNs, &next);
  EXPECT_EQ(next, 11u);
  // Reloaded (a new thread object: its time counts from 0 again), it used little.
  ThreadSample b{.slot = 2, .thread = 11, .run_ns = 1000, .priority = 11};
  s.plan(&b, 1, kPeriodNs, &next);
  EXPECT_EQ(next, 11u);  // one runner, little used: not compute-bound, kept
}

}  // namespace
}  // namespace unixemu
