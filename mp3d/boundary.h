// MP3D's boundary conditions (paper §3): specular reflection from the tunnel's side walls
// and from the object in the flow (a 90-degree wedge, whose faces reflect by swapping two
// velocity components, or a flat plate), exit through the ends of an open tunnel,
// reflection from them in a closed box. Every reflection keeps |v| exactly.
#pragma once

#include <stdint.h>

#include "params.h"

namespace mp3d {

struct Position {
  int32_t x, y, z;
};

enum class Fate : uint32_t {
  Inside,     // still in the tunnel
  Exited,     // left through the outflow end (x >= xmax)
  Upstream,   // left through the inflow end (x < 0)
  Reflected,  // (for counting only: inside, after a reflection from the object)
};

// After a molecule moved from `from` to `p` with velocity `v` (already at p): the walls
// and the object applied. The molecule stays inside the tunnel and outside the object
// (Inside or Reflected) or has left (Exited, Upstream).
Fate apply_boundaries(const Params& params, const Geometry& g, const Position& from, Position& p, int32_t v[3]);

// Is `p` inside the object?
bool inside_object(const Params& params, const Geometry& g, const Position& p);

}  // namespace mp3d
