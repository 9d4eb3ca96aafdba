// MP3D's data (paper §3, the wind-tunnel simulation; DESIGN.md §7): the molecule array,
// swept in order every step, and the space-cell array, touched at random by the molecules
// in it. Fixed-point throughout (16.16: one unit is one cell, velocities in cells per
// step) so that the host build and the 68040 build compute bit for bit the same.
//
// The molecules are split into kLanes lanes, each a contiguous part of the array with a
// collision reservoir and statistics of its own in every cell: a lane is always swept
// in order by one thread, so the results do not depend on how many threads share the
// lanes (1, 2 or 4: results identical).
#pragma once

#include <stdint.h>

namespace mp3d {

inline constexpr uint32_t kLanes = 4;
inline constexpr int32_t kOne = 1 << 16;  // one cell, in 16.16 fixed point
inline constexpr uint32_t kPageBytes = 4096;

// 32 bytes: 128 to a page, so that a page holds whole molecules.
struct Molecule {
  int32_t x, y, z;  // position, cells (16.16)
  int32_t u, v, w;  // velocity, cells per step (16.16)
  uint32_t collisions;
  uint32_t born;  // the step it entered the tunnel
};
static_assert(sizeof(Molecule) == 32, "128 molecules a page");
inline constexpr uint32_t kMoleculesPerPage = kPageBytes / sizeof(Molecule);

// One lane's part of a cell: its collision partner (a reservoir molecule the lane's
// molecules collide with, SPLASH MP3D's "cell partner") and this step's sums.
struct LaneCell {
  int32_t ru, rv, rw;  // the reservoir molecule's velocity
  uint32_t count;      // molecules of the lane that ended the step here
  int32_t su, sv, sw;  // their velocity sums
  uint32_t energy;     // their (|v| / 256)^2 sums
};

struct Cell {
  LaneCell lane[kLanes];
  uint32_t density;      // molecules here at the end of the last step (all lanes)
  uint32_t density_sum;  // summed over the steps since statistics were last cleared
  int32_t u_sum, v_sum;  // velocity sums over those steps (wrap: statistics only)
  uint32_t energy_sum;
  uint32_t samples;  // steps summed into the *_sum fields
  uint32_t reserved[2];
};
static_assert(sizeof(Cell) == 160, "cell layout");

}  // namespace mp3d
