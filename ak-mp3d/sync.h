// What ak-mp3d's threads share safely (paper §3's processing library on one 68040): one
// longword compared and set, and a barrier whose waiters block in the Cache Kernel.
#pragma once

#include <stdint.h>

#include "atomic.h"
#include "ck_call.h"

namespace mp3d_ak {

// If *word == expected: *word = value and true (the 68040's CAS, through libak's CAS2 on
// a second longword that does not change).
inline bool compare_and_set(volatile uint32_t* word, uint32_t expected, uint32_t value) {
  static volatile uint32_t unchanged;
  const uint32_t u = unchanged;
  return ak::compare_and_set_two(word, expected, value, &unchanged, u, u);
}

inline uint32_t fetch_add(volatile uint32_t* word, uint32_t n) {
  for (;;) {
    const uint32_t old = *word;
    if (compare_and_set(word, old, old + n)) return old;
  }
}

// `parties` threads (their ids in `threads`) meet; the last to arrive wakes the others.
class Barrier {
 public:
  static constexpr uint32_t kMaxParties = 8;
  void configure(uint32_t parties, const ck_id* threads) {
    parties_ = parties;
    for (uint32_t i = 0; i < parties; ++i) threads_[i] = threads[i];
    arrived_ = 0;
  }
  void arrive(uint32_t self) {
    const uint32_t generation = generation_;
    if (fetch_add(&arrived_, 1) + 1 == parties_) {
      arrived_ = 0;
      generation_ = generation + 1;
      for (uint32_t i = 0; i < parties_; ++i)
        if (i != self) ak::wake(threads_[i]);
      return;
    }
    // A wake that comes before the block makes it return at once; the timeout is a
    // safety net only.
    while (generation_ == generation) ak::block_self(kSafetyNs);
  }

 private:
  static constexpr uint32_t kSafetyNs = 50 * 1000 * 1000;
  uint32_t parties_ = 0;
  ck_id threads_[kMaxParties] = {};
  volatile uint32_t arrived_ = 0, generation_ = 0;
};

}  // namespace mp3d_ak
