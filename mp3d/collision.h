// MP3D's pair collisions (paper §3; McDonald and Baganoff's method): a molecule collides
// with its cell's reservoir molecule with a probability set by the cell's density. The
// pair keeps its centre-of-mass velocity and the length of its relative velocity, whose
// direction is turned by a random signed permutation of its components: exact in
// integers, so momentum and energy are conserved to the last bit (a discrete set of
// scattering directions, as in lattice-gas models, in place of a continuous sphere).
#pragma once

#include <stdint.h>

namespace mp3d {

struct Velocity {
  int32_t u, v, w;
};

// Collides a and b; `choice` (random bits) picks the permutation and signs. Returns
// false when the choice left the pair as it was.
bool collide(Velocity& a, Velocity& b, uint32_t choice);

// Collision probability (0..65536) in a cell holding `density` molecules.
inline uint32_t collision_probability(uint32_t density, uint32_t collide) {
  const uint32_t p = density * collide;
  return density != 0 && p / density != collide ? 65536u : (p > 65536u ? 65536u : p);
}

}  // namespace mp3d
