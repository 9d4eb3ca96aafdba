// MP3D, the simulation (paper §3; McDonald and Baganoff's particle-in-cell method for
// rarefied hypersonic flow, later SPLASH's mp3d; DESIGN.md §7). Portable C++: the same
// code runs natively in the host tests and in the 68040 application kernel ak-mp3d, on
// molecule and cell arrays the caller provides (host memory, or ak-mp3d's paged
// segment), and computes bit for bit the same there.
//
// A step is two phases with a barrier after each:
//   move(lane), for every lane: each molecule of the lane moves ballistically, the walls
//     and the object reflect it, it leaves at the ends of the tunnel (the lane's array
//     is compacted in the same sweep) or collides with its cell's reservoir molecule and
//     is counted in its cell; then the lane's share of new molecules enters at the inflow
//     end, holding the free-stream density and velocity;
//   reduce(cells): each cell's lane counts become its density and statistics.
// A lane is one thread's; a cell range is one thread's: no two threads write a word in
// common, and no result depends on which thread did what.
#pragma once

#include <stdint.h>

#include "boundary.h"
#include "generator.h"
#include "layout.h"
#include "params.h"

namespace mp3d {

// Told where a lane's sweep is: every molecule below `done` of the lane is finished for
// this step (ak-mp3d's replacement policy pages out behind it and in ahead of it).
class SweepHook {
 public:
  virtual void sweeping(uint32_t lane, uint32_t done) = 0;

 protected:
  ~SweepHook() = default;
};

struct LaneCounts {
  uint32_t molecules = 0;                                                                       // in the lane now
  uint32_t collisions = 0, exited = 0, upstream = 0, injected = 0, dropped = 0, reflected = 0;  // this step
  uint64_t total_collisions = 0;
};

struct Summary {
  uint32_t step;
  uint32_t molecules;
  uint32_t collisions;  // this step
  uint64_t total_collisions;
  uint32_t exited, upstream, injected, dropped, reflected;  // this step
  uint32_t free_stream;                                     // mean density upstream, molecules per cell x 100
  uint32_t shock_layer;  // mean density between the bow shock and the object (along a wedge's faces, in
                         // front of a plate), x 100
  uint32_t wake;         // mean density just behind the object, x 100
};

class Simulation {
 public:
  // `molecules`: lane_capacity(p) * kLanes slots; `cells`: cell_count(p).
  Simulation(const Params& p, Molecule* molecules, Cell* cells);

  // Fills the tunnel with the free stream (single-threaded).
  void start();
  // The phases of a step (see above), then end_step() once by one thread.
  void move(uint32_t lane);
  void reduce(uint32_t first_cell, uint32_t end_cell);
  void end_step();
  // Zeroes the cells' sums (the statistics start again, e.g. after the warm-up).
  void clear_statistics();

  uint32_t step() const { return step_; }
  uint32_t molecules() const;
  const LaneCounts& lane(uint32_t l) const { return lanes_[l]; }
  Summary summary() const;
  // FNV-1a over every molecule (in lane order), every cell and the lane counters.
  uint32_t checksum() const;
  const Params& params() const { return params_; }
  const Geometry& geometry() const { return geometry_; }
  const Cell& cell(uint32_t x, uint32_t y, uint32_t z) const { return cells_[index(x, y, z)]; }
  void set_hook(SweepHook* hook) { hook_ = hook; }

  // The molecules to inject a step (16.16, all lanes): density x inflow area x speed.
  uint32_t inflow_per_step() const { return inflow_; }

 private:
  struct Lane {
    Generator generator;
    uint32_t inflow_remainder = 0;  // 16.16 molecules not yet injected
  };
  uint32_t index(uint32_t x, uint32_t y, uint32_t z) const { return x + params_.nx * (y + params_.ny * z); }
  uint32_t cell_of(const Molecule& m) const {
    return index(static_cast<uint32_t>(m.x >> 16), static_cast<uint32_t>(m.y >> 16), static_cast<uint32_t>(m.z >> 16));
  }
  Molecule* lane_base(uint32_t l) const { return molecules_ + l * lane_capacity_; }
  // A free-stream molecule: velocity (speed, 0, 0) + thermal noise.
  void free_stream_velocity(Generator& g, int32_t v[3]) const;
  int32_t thermal(Generator& g) const;
  // Counts the molecule in its cell (colliding it first, maybe).
  void settle(uint32_t l, Molecule& m);
  void inject(uint32_t l, uint32_t at);
  uint32_t mean_density(uint32_t x0, uint32_t x1, uint32_t y0, uint32_t y1) const;

  Params params_;
  Geometry geometry_;
  Molecule* molecules_;
  Cell* cells_;
  uint32_t lane_capacity_, cells_count_;
  uint32_t inflow_ = 0;
  uint32_t step_ = 0;
  Lane state_[kLanes];
  LaneCounts lanes_[kLanes];
  SweepHook* hook_ = nullptr;
};

}  // namespace mp3d
