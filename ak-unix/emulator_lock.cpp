// The emulator's lock (emulator_lock.h).
#include "emulator_lock.h"

#include "libak.h"

namespace unixemu {

namespace {

// A waiter looks at the holder this often (a release normally wakes it long before).
constexpr uint32_t kHolderCheckNs = 10 * 1000 * 1000;

}  // namespace

EmulatorLock g_emulator_lock;

void EmulatorLock::mark_waiting(uint32_t place, ck_id self) {
  waiter_[place] = self;
  const uint32_t bit = 1u << (place % 32);
  if ((__atomic_fetch_or(&waiting_[place / 32], bit, __ATOMIC_SEQ_CST) & bit) == 0)
    __atomic_fetch_add(&waiters_, 1u, __ATOMIC_SEQ_CST);
}

void EmulatorLock::forget_waiter(uint32_t place) {
  if (place >= kPlaces) return;
  const uint32_t bit = 1u << (place % 32);
  if ((__atomic_fetch_and(&waiting_[place / 32], ~bit, __ATOMIC_SEQ_CST) & bit) != 0)
    __atomic_fetch_sub(&waiters_, 1u, __ATOMIC_SEQ_CST);
  waiter_[place] = 0;
}

void EmulatorLock::take_from_stale_holder() {
  ck_id holder = owner_;
  if (holder == 0) return;
  ck_thread_stats stats{};
  // Only a holder that has left the Cache Kernel loses the lock: one that is merely
  // preempted, or blocked in its call for a moment, keeps it.
  if (ak::thread_stats(holder, &stats) != CK_E_STALE_ID) return;
  __atomic_compare_exchange_n(&owner_, &holder, 0u, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

void EmulatorLock::wait_for(ck_id self, uint32_t place) {
  if (place >= kPlaces) place = kPlaces - 1;
  // Marked before the second look: a release between the two sees the mark and wakes us
  // (a wake that comes before the block is kept by the Cache Kernel).
  mark_waiting(place, self);
  while (!take(self)) {
    ak::block_self(kHolderCheckNs);
    take_from_stale_holder();
  }
  forget_waiter(place);
}

uint32_t EmulatorLock::pause(uint32_t place, uint32_t timeout_ns) {
  const ck_id self = owner_;
  release();
  const uint32_t ready = ak::block_self(timeout_ns).value;
  acquire(self, place);
  return ready;
}

void EmulatorLock::wake_one() {
  // Round robin: the waiting places from hand_ on, then those before it, found a word of
  // marks at a time (a release looked at all 96 places one by one: issue 18 item 11).
  const uint32_t hand = hand_ % kPlaces;
  for (uint32_t pass = 0; pass < 2; ++pass) {
    for (uint32_t w = 0; w < kWords; ++w) {
      const uint32_t base = w * 32;
      const uint32_t from_hand = hand <= base ? ~0u : hand >= base + 32 ? 0u : ~0u << (hand - base);
      for (uint32_t bits = waiting_[w] & (pass == 0 ? from_hand : ~from_hand); bits != 0; bits &= bits - 1) {
        const uint32_t place = base + static_cast<uint32_t>(__builtin_ctz(bits));
        const ck_id thread = waiter_[place];
        // A waiter written back meanwhile answers CK_E_STALE_ID: the next one is woken.
        if (thread != 0 && ak::wake(thread) == CK_OK) {
          hand_ = place + 1;
          return;
        }
      }
    }
  }
}

}  // namespace unixemu
