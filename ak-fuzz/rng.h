// The hostile kernel's random numbers (issue 15): xorshift64, so that a seed replays the
// same calls and instruction streams (the reproducer is the seed and the batch).
#pragma once

#include <stdint.h>

namespace fuzz {

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9e3779b97f4a7c15ull + 1) {}
  uint32_t next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return static_cast<uint32_t>(s_ >> 16);
  }
  uint32_t below(uint32_t n) { return next() % n; }
  bool one_in(uint32_t n) { return below(n) == 0; }
  template <typename T, uint32_t N>
  T pick(const T (&from)[N]) {
    return from[below(N)];
  }

 private:
  uint64_t s_;
};

}  // namespace fuzz
