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

// The face of the object a molecule was reflected from (for diffuse walls: which way is
// out).
enum class Face : uint32_t {
  None,        // no reflection from the object, or one undone (the molecule went back)
  WedgeUpper,  // outward normal (-1, 1) / sqrt 2
  WedgeLower,  // (-1, -1) / sqrt 2
  WedgeBack,   // (1, 0)
  PlateFront,  // (-1, 0): hit from upstream
  PlateBack,   // (1, 0)
};

// After a molecule moved from `from` to `p` with velocity `v` (already at p): the walls
// and the object applied. The molecule stays inside the tunnel and outside the object
// (Inside or Reflected) or has left (Exited, Upstream). `face`, when given, is the face
// a Reflected molecule now lies outside of (None when the reflection was undone).
Fate apply_boundaries(const Params& params, const Geometry& g, const Position& from, Position& p, int32_t v[3],
                      Face* face = nullptr);

// Is `p` inside the object?
bool inside_object(const Params& params, const Geometry& g, const Position& p);

}  // namespace mp3d
