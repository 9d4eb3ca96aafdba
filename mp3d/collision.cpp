// MP3D's pair collisions (collision.h).
#include "collision.h"

namespace mp3d {

namespace {

// The six permutations of three components.
constexpr uint8_t kPermutations[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

// (S + g') / 2 and (S - g') / 2 are whole only when every g'_i has the parity of g_i
// (S_i = g_i mod 2): a permutation may move a component only onto one of equal parity.
bool keeps_parity(const int32_t g[3], const uint8_t p[3]) {
  for (int i = 0; i < 3; ++i)
    if (((g[p[i]] ^ g[i]) & 1) != 0) return false;
  return true;
}

}  // namespace

bool collide(Velocity& a, Velocity& b, uint32_t choice) {
  const int32_t s[3] = {a.u + b.u, a.v + b.v, a.w + b.w};
  const int32_t g[3] = {a.u - b.u, a.v - b.v, a.w - b.w};
  const uint8_t* p = kPermutations[(choice & 0xffff) % 6];
  if (!keeps_parity(g, p)) p = kPermutations[0];
  int32_t h[3];
  for (int i = 0; i < 3; ++i) h[i] = (choice >> (16 + i)) & 1 ? -g[p[i]] : g[p[i]];
  if (h[0] == g[0] && h[1] == g[1] && h[2] == g[2]) return false;
  // Both sums are even (parity kept above): the halves are exact.
  a = Velocity{(s[0] + h[0]) / 2, (s[1] + h[1]) / 2, (s[2] + h[2]) / 2};
  b = Velocity{(s[0] - h[0]) / 2, (s[1] - h[1]) / 2, (s[2] - h[2]) / 2};
  return true;
}

}  // namespace mp3d
