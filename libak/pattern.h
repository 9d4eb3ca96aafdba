// Memory in a known pattern (the worker and the fuzz suite's victim, paper §4.3: a
// kernel's memory must not change under it, whatever other kernels do): word i starts as
// the i-th value of a linear congruential sequence from a seed and moves one step on
// each round, so a word changed by anyone else is found at the next check.
#pragma once

#include <stdint.h>

namespace ak {

class Pattern {
 public:
  static constexpr uint32_t kStep = 0x9e3779b9;

  Pattern(uint32_t* words, uint32_t count, uint32_t seed) : words_(words), count_(count), seed_(seed) {}

  void fill() {
    uint32_t x = seed_;
    for (uint32_t i = 0; i < count_; ++i) words_[i] = x = next(x);
  }

  // Every word must be seed_i + round * kStep; each moves one step on. With `checksum`,
  // the checksum of the words as they are afterwards.
  bool check_and_step(uint32_t round, uint32_t* checksum = nullptr) {
    uint32_t x = seed_, sum = 0;
    bool ok = true;
    for (uint32_t i = 0; i < count_; ++i) {
      x = next(x);
      const uint32_t want = x + round * kStep;
      ok = ok && words_[i] == want;
      words_[i] = want + kStep;
      if (checksum != nullptr) {
        sum = (sum ^ words_[i]) * 16777619u;
        sum ^= sum >> 15;
      }
    }
    if (checksum != nullptr) *checksum = sum;
    return ok;
  }

 private:
  static uint32_t next(uint32_t x) { return x * 1664525u + 1013904223u; }

  uint32_t* words_;
  uint32_t count_;
  uint32_t seed_;
};

}  // namespace ak
