// MP3D's random numbers (paper §3): xoshiro128** (Blackman and Vigna), 32-bit operations
// only, one generator per lane seeded from the run's seed, so that a run is the same on
// the host and on the 68040 and for any number of threads.
#pragma once

#include <stdint.h>

namespace mp3d {

class Generator {
 public:
  Generator() = default;
  // Splitmix32 spreads (seed, stream) over the four words (never all zero).
  Generator(uint32_t seed, uint32_t stream) {
    uint32_t z = seed ^ (stream * 0x9e3779b9u);
    for (uint32_t& word : s_) {
      z += 0x9e3779b9u;
      uint32_t t = z;
      t = (t ^ (t >> 16)) * 0x85ebca6bu;
      t = (t ^ (t >> 13)) * 0xc2b2ae35u;
      word = t ^ (t >> 16);
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }
  uint32_t next() {
    const uint32_t result = rotl(s_[1] * 5, 7) * 9;
    const uint32_t t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 11);
    return result;
  }
  // Uniform in [0, 65536).
  uint32_t next16() { return next() >> 16; }
  // Uniform in [0, bound) for bound <= 65536 (fixed point: the top 16 bits scaled).
  uint32_t below(uint32_t bound) { return (next16() * bound) >> 16; }

 private:
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t s_[4] = {1, 2, 3, 4};
};

// Nearly normal with standard deviation `spread` (the sum of four uniform 16-bit numbers:
// standard deviation 4 x 65536 / sqrt(12) / 4 = 9459 before scaling); integers only, so
// the host and the 68040 draw the same. |spread| at most 65536: the product stays in 32 bits.
inline int32_t deviate(Generator& g, int32_t spread) {
  const int32_t sum = static_cast<int32_t>(g.next16() + g.next16() + g.next16() + g.next16()) - 2 * 65536;
  return (sum >> 2) * spread / 9459;
}

}  // namespace mp3d
