// Diffuse reflection from the object (paper §3: MP3D's boundary conditions; issue 19): a
// molecule that hits a diffuse wall forgets its velocity and leaves at the wall's
// temperature in a random direction away from the face, drawn from the lane's seeded
// generator with integer arithmetic only, so the host and the 68040 agree to the bit.
#pragma once

#include <stdint.h>

#include "boundary.h"
#include "generator.h"

namespace mp3d {

// The velocity a molecule leaves `face` with (face != None): each tangential component
// nearly normal with standard deviation `spread` (the wall's temperature), the outward
// one the length of two such deviates (Rayleigh: the normal speeds of the molecules that
// cross a plane of gas at that temperature, so that a gas shut in with the wall comes to
// its temperature; mean energy 4 spread^2, whatever the molecule brought). On the wedge's
// 45-degree faces the (normal, tangent) pair is turned by 1/sqrt(2) in 16.16; the
// velocity's outward component is never negative.
void diffuse_velocity(Face face, int32_t spread, Generator& g, int32_t v[3]);

}  // namespace mp3d
