// The emulator's lock (paper §2.1, §2.3): an application kernel's exception handler runs
// in the faulting thread (on its exception stack in the emulator's space), and the Cache
// Kernel preempts threads on time slices, so the handlers of different processes run
// concurrently with each other and with the emulator's first thread. One lock is held
// around all work on the emulator's state: every handler from its start until it
// resumes, blocks or ends its process, and the first thread's passes.
//
// A waiter blocks in the Cache Kernel (CK_BLOCK), never spins; the releaser wakes one
// (CK_WAKE). A holder the Cache Kernel writes back in its handler (it does so only when
// it must, README "Displacement") would keep the lock for ever: a waiter whose wait times
// out asks the Cache Kernel about the holder, and one that has left the cache
// (CK_E_STALE_ID) loses the lock to the waiter. Its system call is made again when it is
// reloaded (the writeback's "redo", emulator.cpp), as any displaced call is.
#pragma once

#include <stdint.h>

#include "build_options.h"
#include "ck/abi.h"

namespace unixemu {

class EmulatorLock {
 public:
  // Waiting places: one per process slot, and the first thread's after them.
  static constexpr uint32_t kPlaces = 96;

  // Takes the lock for thread `self` (waiting at `place` while another holds it). Inline:
  // every system call takes it and gives it up (a free lock is one CAS).
  void acquire(ck_id self, uint32_t place) {
    if (!take(self)) wait_for(self, place);
  }
  // The same in two steps, for a caller whose place costs something to work out: the
  // free lock taken, or false; then, only if it was not free, wait() takes it.
  bool try_acquire(ck_id self) { return take(self); }
  void wait(ck_id self, uint32_t place) { wait_for(self, place); }
  // Gives it up, and wakes a waiter if there is one.
  [[gnu::always_inline]] void release() {
    __atomic_store_n(&owner_, 0u, __ATOMIC_RELEASE);
    if (waiters_ != 0) wake_one();
  }
  ck_id holder() const { return owner_; }
  // Which holding of the lock this is: a new number (odd, never 0) each time it is taken,
  // after a pause too. The memory window (physical_memory.h) keeps the pages a holding
  // uses mapped until it ends.
  const uint16_t* holding_stamp() const { return &holding_; }
  // The holder (at `place`) lets the lock go, blocks for up to `timeout_ns` and takes it
  // again (a handler that waits a moment for the first thread, a sleep). Returns when the
  // block ended, as CK_BLOCK says (ak::now()'s clock; 0 for a thread written back while
  // blocked, an earlier time for a wake that came before the block).
  uint32_t pause(uint32_t place, uint32_t timeout_ns);
  // A process thread written back while it waited (its place is cleared; it takes the
  // lock again when its call is made again).
  void forget_waiter(uint32_t place);

 private:
  bool take(ck_id self) {
    ck_id free_owner = 0;
    if (!__atomic_compare_exchange_n(&owner_, &free_owner, self, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
      return false;
    if constexpr (kWindowBuild) holding_ = static_cast<uint16_t>(holding_ + 2);  // odd, so never 0
    return true;
  }
  void wait_for(ck_id self, uint32_t place);
  void mark_waiting(uint32_t place, ck_id self);
  void wake_one();
  void take_from_stale_holder();

  static constexpr uint32_t kWords = kPlaces / 32;
  ck_id owner_ = 0;  // the holding thread (0: free)
  uint16_t holding_ = 1;
  // Who waits: a bit per place and its thread, and how many bits are set (what each
  // release tests: one word).
  volatile uint32_t waiting_[kWords] = {};
  volatile uint32_t waiters_ = 0;
  volatile ck_id waiter_[kPlaces] = {};
  uint32_t hand_ = 0;  // the next place a release looks at first (round robin)
};

// Inline: every handler takes and gives up the lock.
extern EmulatorLock g_emulator_lock;
inline EmulatorLock& emulator_lock() { return g_emulator_lock; }
// The first thread's waiting place (the processes' are their slots).
inline constexpr uint32_t kFirstThreadPlace = EmulatorLock::kPlaces - 1;

}  // namespace unixemu
