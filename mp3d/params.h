// MP3D's parameters (paper §3; DESIGN.md §7): the tunnel's size in cells, the object in
// the flow, the free stream, the collision rate and the seed. The geometry of the object
// follows from the tunnel's size; everything is fixed point (layout.h).
#pragma once

#include <stdint.h>

#include "layout.h"

namespace mp3d {

enum class Object : uint32_t {
  None,   // an empty tunnel
  Wedge,  // a 90-degree wedge, apex upstream, across the whole depth (z)
  Plate,  // a flat plate across the flow, across the whole depth
};

// What the object does to a molecule that hits it (the tunnel's side walls are always
// specular).
enum class Walls : uint32_t {
  Specular,  // a mirror: the velocity's normal component reversed, its length kept
  Diffuse,   // re-emitted at the wall's temperature in a random direction away from the face
};

enum class Ends : uint32_t {
  Open,    // inflow at x = 0, outflow at both ends (the wind tunnel)
  Closed,  // specular walls at both ends, no inflow: a closed box (conservation tests)
};

struct Params {
  uint32_t nx = 32, ny = 16, nz = 4;  // cells
  uint32_t molecules = 4096;          // at the start: free-stream density x the tunnel's volume
  uint32_t capacity = 0;              // molecule slots (0: 3/2 x molecules, rounded to whole pages per lane)
  int32_t speed = kOne / 2;           // free-stream velocity along x, cells per step
  int32_t thermal = kOne / 16;        // the spread of each velocity component
  uint32_t collide = kOne / 8;        // collision probability per molecule already in the cell
  Object object = Object::Wedge;
  Walls walls = Walls::Specular;
  int32_t wall_thermal = kOne / 16;  // diffuse walls: the spread of each re-emitted component
  Ends ends = Ends::Open;
  uint32_t seed = 1994;
};

// Molecule slots per lane for `p` (capacity rounded up to whole pages per lane).
inline uint32_t lane_capacity(const Params& p) {
  const uint32_t total = p.capacity != 0 ? p.capacity : p.molecules + p.molecules / 2;
  const uint32_t per_lane = (total + kLanes - 1) / kLanes;
  return (per_lane + kMoleculesPerPage - 1) / kMoleculesPerPage * kMoleculesPerPage;
}
inline uint32_t cell_count(const Params& p) { return p.nx * p.ny * p.nz; }

// The object's geometry in fixed point, from the tunnel's size.
struct Geometry {
  int32_t xmax, ymax, zmax;  // the tunnel: [0, xmax) x [0, ymax) x [0, zmax)
  int32_t apex;              // wedge: apex x; plate: its plane
  int32_t base;              // wedge: its back face x
  int32_t centre;            // y of the apex / the plate's middle
  int32_t half;              // wedge: half its base height; plate: half its height
};

inline Geometry geometry(const Params& p) {
  Geometry g;
  g.xmax = static_cast<int32_t>(p.nx) * kOne;
  g.ymax = static_cast<int32_t>(p.ny) * kOne;
  g.zmax = static_cast<int32_t>(p.nz) * kOne;
  g.apex = static_cast<int32_t>(p.nx / 3) * kOne;
  g.half = static_cast<int32_t>(p.ny / 4) * kOne;
  g.base = g.apex + g.half;
  g.centre = static_cast<int32_t>(p.ny / 2) * kOne;
  return g;
}

}  // namespace mp3d
