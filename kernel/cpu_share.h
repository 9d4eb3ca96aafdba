// Processor accounting (paper §4.3): the time a thread runs is charged to its kernel
// with a premium for high priorities and a discount for low ones, and a kernel's share
// is what it was charged over a moving window of the recent past. Pure; host-tested
// (tests/host/cpu_share_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck {

// Priority 16 is charged at par; each level above adds 1/32 (+47% at 31), each level
// below takes 1/32 off (-50% at 0): charged = ns * (16 + priority) / 32. In 32-bit
// arithmetic (one run of a thread lasts at most a few ticks): exact below 2^31 ns.
inline constexpr u32 kParPriority = 16;
constexpr u32 charged_ns(u32 ns, u32 priority) {
  const u32 weight = kParPriority + priority;
  const u32 capped = ns < 0x80000000u ? ns : 0x7fffffffu;
  return (capped >> 5) * weight + ((capped & 31) * weight >> 5);
}

// The window is kShareBuckets buckets of equal length; a kernel's share is the time
// charged to it in the buckets over the time they span.
inline constexpr u32 kShareBuckets = 8;

// When each bucket of the window began: one clock for every kernel.
class ShareClock {
 public:
  // Starts the window at `now` with one bucket.
  void start(u64 now);
  // A new bucket begins at `now`; the oldest is forgotten once all are in use.
  void advance(u64 now);
  u32 current() const { return current_; }
  // The window's start: the oldest bucket still counted.
  u64 window_start() const;

 private:
  u64 started_[kShareBuckets] = {};
  u32 current_ = 0;
  u32 used_ = 1;
};

// One kernel's charges, bucket by bucket, on a ShareClock.
class ShareWindow {
 public:
  void add(const ShareClock& clock, u64 ns) { charged_[clock.current()] += ns; }
  // Forgets the bucket `clock` has just begun (call after every ShareClock::advance).
  void advanced(const ShareClock& clock) { charged_[clock.current()] = 0; }
  // Unrolled: every kernel load clears one.
  void clear() {
#pragma GCC unroll 8
    for (u64& c : charged_) c = 0;
  }
  // The charged time over the window, with `more` not yet added, as per-mille of its
  // length at `now` (it may exceed 1000 with the premium); 0 for a window of no length.
  u32 permille(const ShareClock& clock, u64 now, u64 more = 0) const;

 private:
  u64 charged_[kShareBuckets] = {};
};

}  // namespace ck
