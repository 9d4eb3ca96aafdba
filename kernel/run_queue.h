// The ready threads, in the order they get the processor (paper §4.3): fixed-priority
// preemptive, round robin with one time slice each within a level. Levels 0..63, higher
// first; the object caches put a thread of a kernel within its CPU share at level 32 +
// its priority and one over its share at its bare priority, below every other.
// Intrusive and allocation-free. Pure; host-tested (tests/host/run_queue_test.cpp).
#pragma once

#include "thread.h"

namespace ck {

inline constexpr u32 kRunLevels = 64;

class RunQueue {
 public:
  bool empty() const { return size_ == 0; }
  bool contains(const Thread& t) const { return t.next != nullptr; }
  usize size() const { return size_; }
  // Changes with every thread queued, removed or moved (not with rotation): whether the
  // front may have changed, cheaper to compare than front().
  u32 version() const { return version_; }

  // The thread to run now: the first of the highest non-empty level (kept up to date by
  // every change, so that the entry path can compare it: arch::FastPathLinks).
  Thread* front() const { return front_; }
  // Where front() is kept.
  Thread* const* front_slot() const { return &front_; }
  // Appends `t` behind the threads of its level (Thread::level); it must not be queued.
  void push_back(Thread& t);
  void remove(Thread& t);
  // The front thread used its slice: it goes behind the others of its level.
  void rotate();
  // The same for `t`, when it leads its level (a thread preempted mid-slice may not).
  void rotate(Thread& t);
  // Sets t.level; a queued thread moves to the back of its new level.
  void set_level(Thread& t, u8 level);

 private:
  friend class Invariants;
  static u32 highest(u32 word) { return 31 - static_cast<u32>(__builtin_clz(word)); }
  Thread* find_front() const;

  Thread* heads_[kRunLevels] = {};  // each circular: heads_[l]->prev is that level's back
  u32 nonempty_[kRunLevels / 32] = {};
  usize size_ = 0;
  u32 version_ = 0;
  Thread* front_ = nullptr;
};

}  // namespace ck
