// A small deterministic random number generator (xorshift64) for the fuzzers (issue 15):
// the host call fuzzer and the hostile application kernel, so that a seed replays the
// same calls. Not for anything that needs real randomness.
#pragma once

#include "lib/types.h"

namespace ck {

class Rng {
 public:
  explicit Rng(u64 seed) : s_(seed * 0x9e3779b97f4a7c15ull + 1) {}
  u32 next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return static_cast<u32>(s_ >> 16);
  }
  u32 below(u32 n) { return next() % n; }
  bool one_in(u32 n) { return below(n) == 0; }
  template <typename T, u32 N>
  T pick(const T (&from)[N]) {
    return from[below(N)];
  }

 private:
  u64 s_;
};

}  // namespace ck
