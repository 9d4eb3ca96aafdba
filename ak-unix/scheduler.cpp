// The emulator's scheduling policy (scheduler.h; paper §2.3, §4.3, issue 18 item 7).
#include "scheduler.h"

namespace unixemu {

namespace {

// Levels a nice 0 process's base sits below the emulator's own threads.
constexpr uint32_t kInteractiveBelowEmulator = 4;
// Linux's nice spans 40 values; the policy gives each 4 of them one level.
constexpr int32_t kNicePerLevel = 4;

uint32_t lowest(const SchedulingLevels& levels) { return levels.top >= 1 ? 1 : 0; }

uint32_t clamp_level(int32_t level, uint32_t low, uint32_t high) {
  if (level < static_cast<int32_t>(low)) return low;
  if (level > static_cast<int32_t>(high)) return high;
  return static_cast<uint32_t>(level);
}

int32_t clamp_nice(int32_t nice) { return nice < kNiceMin ? kNiceMin : nice > kNiceMax ? kNiceMax : nice; }

}  // namespace

SchedulingLevels levels_for(uint32_t ceiling) {
  SchedulingLevels l;
  l.emulator = ceiling;
  // Processes stay below the emulator when there is room for it (a ceiling of 0 leaves
  // none: everything shares level 0).
  l.top = ceiling >= 1 ? ceiling - 1 : 0;
  l.interactive = ceiling > kInteractiveBelowEmulator ? ceiling - kInteractiveBelowEmulator : l.top;
  const uint32_t low = lowest(l);
  l.floor = l.interactive >= low + kDegradeDepth ? l.interactive - kDegradeDepth : low;
  return l;
}

uint32_t base_priority(const SchedulingLevels& levels, int32_t nice) {
  // C++ division truncates toward zero: nice -20 is 5 levels up, 19 is 4 down.
  const int32_t level = static_cast<int32_t>(levels.interactive) - clamp_nice(nice) / kNicePerLevel;
  return clamp_level(level, lowest(levels), levels.top);
}

uint32_t floor_priority(const SchedulingLevels& levels, int32_t nice) {
  const int32_t level = static_cast<int32_t>(base_priority(levels, nice)) - static_cast<int32_t>(kDegradeDepth);
  return clamp_level(level, lowest(levels), base_priority(levels, nice));
}

uint32_t next_priority(uint32_t current, uint64_t used_ns, uint64_t fair_ns, uint32_t base, uint32_t floor,
                       uint32_t* starved) {
  uint32_t next = current;
  if (fair_ns != 0 && used_ns * 2 >= fair_ns) {
    next = current > floor ? current - 1 : floor;  // compute-bound this period
    *starved = 0;
  } else if (fair_ns != 0 && used_ns * 8 < fair_ns) {
    // Starved (or idle in a short wait): back up toward its base, after a while.
    *starved += 1;
    if (*starved >= kAgingPeriods) {
      next = current + 1;
      *starved = 0;
    }
  } else {
    *starved = 0;
  }
  if (next > base) next = base;
  if (next < floor) next = floor;
  return next;
}

void Scheduler::started(uint32_t slot) {
  Record* r = record(slot);
  if (r == nullptr) return;
  r->nice = 0;
  r->priority = base_priority(levels_, 0);
  r->favoured = false;
}

void Scheduler::forked(uint32_t parent, uint32_t child) {
  Record* p = record(parent);
  Record* c = record(child);
  if (c == nullptr) return;
  if (p == nullptr) {
    started(child);
    return;
  }
  c->nice = p->nice;
  c->priority = p->priority;
  c->favoured = false;
}

void Scheduler::waited_long(uint32_t slot) {
  if (Record* r = record(slot); r != nullptr) r->favoured = true;
}

uint32_t Scheduler::priority_at_load(uint32_t slot) {
  Record* r = record(slot);
  if (r == nullptr) return levels_.interactive;
  const uint32_t base = base_priority(levels_, r->nice);
  const uint32_t floor = floor_priority(levels_, r->nice);
  uint32_t level = r->favoured ? base : r->priority;
  r->favoured = false;
  if (level > base) level = base;
  if (level < floor) level = floor;
  r->priority = level;
  return level;
}

void Scheduler::set_nice(uint32_t slot, int32_t nice) {
  Record* r = record(slot);
  if (r == nullptr) return;
  // The level keeps its distance below the base (how far it has been degraded).
  const uint32_t old_base = base_priority(levels_, r->nice);
  const uint32_t depth = old_base > r->priority ? old_base - r->priority : 0;
  r->nice = clamp_nice(nice);
  const uint32_t base = base_priority(levels_, r->nice);
  const uint32_t floor = floor_priority(levels_, r->nice);
  r->priority = clamp_level(static_cast<int32_t>(base) - static_cast<int32_t>(depth), floor, base);
}

int32_t Scheduler::proc_priority(uint32_t slot) const {
  if (slot >= kSlots) return 20;
  const Record& r = records_[slot];
  const uint32_t base = base_priority(levels_, r.nice);
  // One waiting on a long-term event is loaded at its base when woken: it shows that.
  const uint32_t degraded = !r.favoured && base > r.priority ? base - r.priority : 0;
  return 20 + r.nice + static_cast<int32_t>(degraded);
}

void Scheduler::plan(const ThreadSample* samples, uint32_t count, uint64_t elapsed_ns, uint32_t* next) {
  // What each used since the last look (a thread not seen before: since its load). One
  // sample a slot: more than that are left as they are.
  for (uint32_t i = kSlots; i < count; ++i) next[i] = samples[i].priority;
  if (count > kSlots) count = kSlots;
  uint64_t used[kSlots];
  uint32_t ran = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const ThreadSample& s = samples[i];
    Record* r = record(s.slot);
    used[i] = 0;
    if (r == nullptr) continue;
    if (r->seen_thread != s.thread) {
      r->seen_thread = s.thread;
      r->seen_run_ns = 0;
      r->starved = 0;
    }
    used[i] = s.run_ns > r->seen_run_ns ? s.run_ns - r->seen_run_ns : 0;
    r->seen_run_ns = s.run_ns;
    if (used[i] != 0) ran += 1;
  }
  // A thread's fair share: the period split among the threads that ran in it.
  const uint64_t fair = ran == 0 ? 0 : elapsed_ns / ran;
  for (uint32_t i = 0; i < count; ++i) {
    const ThreadSample& s = samples[i];
    Record* r = record(s.slot);
    if (r == nullptr) {
      next[i] = s.priority;
      continue;
    }
    const int32_t nice = r->nice;
    next[i] = next_priority(s.priority, used[i], fair, base_priority(levels_, nice), floor_priority(levels_, nice),
                            &r->starved);
    r->priority = next[i];
  }
}

Scheduler& scheduler() {
  static Scheduler s;
  return s;
}

}  // namespace unixemu
