// Diffuse reflection from the object (wall.h).
#include "wall.h"

namespace mp3d {

namespace {

constexpr int64_t kHalfRoot2 = 46341;  // 1/sqrt(2) in 16.16

// x / sqrt(2), rounded down (an arithmetic shift: the same on both machines).
int32_t turn(int32_t x) { return static_cast<int32_t>((x * kHalfRoot2) >> 16); }

// floor(sqrt(n)), digit by digit: shifts and adds only.
uint32_t isqrt(uint64_t n) {
  uint64_t root = 0, bit = uint64_t{1} << 62;
  while (bit > n) bit >>= 2;
  while (bit != 0) {
    if (n >= root + bit) {
      n -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return static_cast<uint32_t>(root);
}

}  // namespace

void diffuse_velocity(Face face, int32_t spread, Generator& g, int32_t v[3]) {
  const int64_t a = deviate(g, spread), b = deviate(g, spread);
  const auto out = static_cast<int32_t>(isqrt(static_cast<uint64_t>(a * a + b * b)));  // along the outward normal
  const int32_t along = deviate(g, spread);
  v[2] = deviate(g, spread);
  switch (face) {
    case Face::WedgeUpper:  // out (-1, 1), along (1, 1), both / sqrt 2
      v[0] = turn(along - out);
      v[1] = turn(along + out);
      break;
    case Face::WedgeLower:  // out (-1, -1), along (1, -1)
      v[0] = turn(along - out);
      v[1] = turn(-along - out);
      break;
    case Face::PlateFront:  // out (-1, 0)
      v[0] = -out;
      v[1] = along;
      break;
    case Face::WedgeBack:  // out (1, 0)
    case Face::PlateBack:
    case Face::None:
      v[0] = out;
      v[1] = along;
      break;
  }
}

}  // namespace mp3d
