// Queued real-time signals (issue 18 item 3; signal(7)): each instance of a signal from
// SIGRTMIN (32) up, sent while one of it is already pending, is kept with its own siginfo
// and delivered after it, oldest first; a standard signal sent twice is pending once.
// The first instance of each lives in the pending set and its siginfo beside it
// (process.h, signal_state.h); this holds the ones after it, for every process, in one
// fixed pool (no allocation after boot), whose size is the RLIMIT_SIGPENDING the
// emulator reports. A pure part: host-tested.
#pragma once

#include <stdint.h>

#include "signal_state.h"

namespace unixemu {

// Where an instance waits: a thread's own pending set (its process table slot) or its
// process's shared one (the leader's slot, shared).
struct QueueOwner {
  uint16_t slot = 0;
  bool shared = false;
  bool operator==(const QueueOwner&) const = default;
};

class SignalQueue {
 public:
  static constexpr uint32_t kMax = 128;
  static constexpr uint32_t kFirstRealTime = 32;

  static bool queued(uint32_t signal) { return signal >= kFirstRealTime; }

  // No room for another instance (sigqueue then fails with EAGAIN, as Linux's does over
  // RLIMIT_SIGPENDING; a kill's instance is dropped).
  bool full() const { return used_ == kMax; }
  uint32_t used() const { return used_; }

  // Keeps an instance of `signal` after those already queued for `owner`; false (and
  // nothing kept) when full.
  bool push(QueueOwner owner, uint32_t signal, const PendingInfo& info);
  // Takes the oldest instance of `signal` queued for `owner` into `info`; false when none.
  bool pop(QueueOwner owner, uint32_t signal, PendingInfo* info);
  // Drops the instances of `signals` (bit n-1 for signal n) queued for `owner`.
  void drop(QueueOwner owner, uint64_t signals);
  // Drops everything queued for slot `slot`, its own and shared (its process ended).
  void drop_slot(uint16_t slot);
  // What slot `from` has queued becomes slot `to`'s (a thread's exec takes the leader's
  // place).
  void move_slot(uint16_t from, uint16_t to);

 private:
  struct Entry {
    bool used = false;
    QueueOwner owner;
    uint8_t signal = 0;
    uint32_t order = 0;  // when it was queued: the oldest is taken first
    PendingInfo info;
  };
  Entry entries_[kMax];
  uint32_t used_ = 0;
  uint32_t next_order_ = 0;
};

SignalQueue& signal_queue();

}  // namespace unixemu
