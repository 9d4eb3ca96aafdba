// MP3D's simulation (mp3d/, paper §3) run natively: collisions conserve momentum and
// energy exactly, the walls and the object reflect as they should, the molecule count
// follows the inflow and outflow bookkeeping, a closed box keeps its energy, the free
// stream holds its density, the wedge raises a bow shock, and the results depend on
// neither the order in which the lanes run nor anything but the parameters (the
// reference checksum is the one the guest test expects from ak-mp3d on the 68040).
#include <gtest/gtest.h>

#include <vector>

#include "boundary.h"
#include "collision.h"
#include "generator.h"
#include "simulation.h"
#include "wall.h"

namespace mp3d {
namespace {

struct Tunnel {
  explicit Tunnel(const Params& p)
      : molecules(lane_capacity(p) * kLanes), cells(cell_count(p)), sim(p, molecules.data(), cells.data()) {
    sim.start();
  }
  void step(bool reverse_lanes = false) {
    for (uint32_t i = 0; i < kLanes; ++i) sim.move(reverse_lanes ? kLanes - 1 - i : i);
    const uint32_t n = cell_count(sim.params());
    if (reverse_lanes) {
      sim.reduce(n / 2, n);
      sim.reduce(0, n / 2);
    } else {
      sim.reduce(0, n);
    }
    sim.end_step();
  }
  // Molecules and reservoirs: momentum and |v|^2 summed.
  void totals(int64_t momentum[3], int64_t* energy) const {
    momentum[0] = momentum[1] = momentum[2] = 0;
    *energy = 0;
    auto add = [&](int32_t u, int32_t v, int32_t w) {
      momentum[0] += u;
      momentum[1] += v;
      momentum[2] += w;
      *energy += int64_t{u} * u + int64_t{v} * v + int64_t{w} * w;
    };
    const uint32_t cap = lane_capacity(sim.params());
    for (uint32_t l = 0; l < kLanes; ++l)
      for (uint32_t i = 0; i < sim.lane(l).molecules; ++i) {
        const Molecule& m = molecules[l * cap + i];
        add(m.u, m.v, m.w);
      }
    for (const Cell& c : cells)
      for (const LaneCell& lc : c.lane) add(lc.ru, lc.rv, lc.rw);
  }
  std::vector<Molecule> molecules;
  std::vector<Cell> cells;
  Simulation sim;
};

TEST(Mp3dCollision, ConservesMomentumAndEnergyExactly) {
  Generator g(7, 0);
  uint32_t changed = 0;
  for (int i = 0; i < 100000; ++i) {
    auto component = [&] { return static_cast<int32_t>(g.next() % 200000) - 100000; };
    Velocity a{component(), component(), component()}, b{component(), component(), component()};
    const Velocity a0 = a, b0 = b;
    if (collide(a, b, g.next())) changed += 1;
    EXPECT_EQ(a.u + b.u, a0.u + b0.u);
    EXPECT_EQ(a.v + b.v, a0.v + b0.v);
    EXPECT_EQ(a.w + b.w, a0.w + b0.w);
    auto e = [](const Velocity& x) { return int64_t{x.u} * x.u + int64_t{x.v} * x.v + int64_t{x.w} * x.w; };
    ASSERT_EQ(e(a) + e(b), e(a0) + e(b0));
  }
  EXPECT_GT(changed, 80000u);  // most choices scatter the pair
}

TEST(Mp3dCollision, ProbabilityGrowsWithDensityAndSaturates) {
  EXPECT_EQ(collision_probability(0, 2048), 0u);
  EXPECT_EQ(collision_probability(4, 2048), 8192u);
  EXPECT_EQ(collision_probability(100, 2048), 65536u);
  EXPECT_EQ(collision_probability(0x10000, 0x10000), 65536u);  // no overflow
}

Params small_box() {
  Params p;
  p.nx = 16;
  p.ny = 16;
  p.nz = 4;
  return p;
}

TEST(Mp3dBoundary, SideWallsReflectSpecularly) {
  Params p = small_box();
  const Geometry g = geometry(p);
  Position from{5 * kOne, kOne / 4, 2 * kOne}, at{5 * kOne + 100, -kOne / 4, 2 * kOne + 7};
  int32_t v[3] = {100, -kOne / 2, 7};
  EXPECT_EQ(apply_boundaries(p, g, from, at, v), Fate::Inside);
  EXPECT_EQ(at.y, kOne / 4);
  EXPECT_EQ(v[1], kOne / 2);
  EXPECT_EQ(v[0], 100);
  Position top_from{5 * kOne, g.ymax - 10, kOne}, top{5 * kOne, g.ymax + 20, kOne};
  int32_t w[3] = {0, 30, 0};
  apply_boundaries(p, g, top_from, top, w);
  EXPECT_EQ(top.y, g.ymax - 21);
  EXPECT_EQ(w[1], -30);
}

TEST(Mp3dBoundary, WedgeFacesSwapVelocityComponents) {
  Params p = small_box();
  const Geometry g = geometry(p);
  // Onto the upper face (fy = fx) from above: (u, v) -> (v, u), the point mirrored.
  const Position from{g.apex + 2 * kOne, g.centre + 3 * kOne, kOne};
  Position at{g.apex + 2 * kOne + kOne / 2, g.centre + 2 * kOne, kOne};  // fx = 2.5, fy = 2: inside
  ASSERT_TRUE(inside_object(p, g, at));
  int32_t v[3] = {kOne / 2, -kOne, 3};
  EXPECT_EQ(apply_boundaries(p, g, from, at, v), Fate::Reflected);
  EXPECT_EQ(v[0], -kOne);
  EXPECT_EQ(v[1], kOne / 2);
  EXPECT_EQ(v[2], 3);
  EXPECT_EQ(at.x, g.apex + 2 * kOne);  // d = fx - fy = 0.5: x - d, y + d
  EXPECT_EQ(at.y, g.centre + 2 * kOne + kOne / 2);
  EXPECT_FALSE(inside_object(p, g, at));
  // Onto the lower face from below: (u, v) -> (-v, -u).
  const Position from2{g.apex + 2 * kOne, g.centre - 3 * kOne, kOne};
  Position at2{g.apex + 2 * kOne + kOne / 2, g.centre - 2 * kOne, kOne};
  int32_t v2[3] = {kOne / 2, kOne, 0};
  EXPECT_EQ(apply_boundaries(p, g, from2, at2, v2), Fate::Reflected);
  EXPECT_EQ(v2[0], -kOne);
  EXPECT_EQ(v2[1], -kOne / 2);
  EXPECT_FALSE(inside_object(p, g, at2));
}

TEST(Mp3dBoundary, PlateReflectsAndEndsLetMoleculesOut) {
  Params p = small_box();
  p.object = Object::Plate;
  const Geometry g = geometry(p);
  const Position from{g.apex - 100, g.centre, kOne};
  Position at{g.apex + 300, g.centre, kOne};
  int32_t v[3] = {400, 0, 0};
  EXPECT_EQ(apply_boundaries(p, g, from, at, v), Fate::Reflected);
  EXPECT_EQ(at.x, g.apex - 301);
  EXPECT_EQ(v[0], -400);
  Position out{g.xmax + 5, kOne, kOne};
  int32_t u[3] = {kOne, 0, 0};
  EXPECT_EQ(apply_boundaries(p, g, Position{g.xmax - 5, kOne, kOne}, out, u), Fate::Exited);
  Position back{-5, kOne, kOne};
  EXPECT_EQ(apply_boundaries(p, g, Position{5, kOne, kOne}, back, u), Fate::Upstream);
}

// A diffuse wall re-emits at its own temperature (mean energy 4 spread^2 for any face:
// the flux of a gas at that temperature; whatever the molecule brought) and never into
// the face.
TEST(Mp3dWall, DiffuseVelocityIsOutwardAtTheWallTemperature) {
  const int32_t spread = kOne / 16;
  const double expected = 4.0 * spread * spread;
  const Face faces[] = {Face::WedgeUpper, Face::WedgeLower, Face::WedgeBack, Face::PlateFront, Face::PlateBack};
  const int32_t out[][2] = {{-1, 1}, {-1, -1}, {1, 0}, {-1, 0}, {1, 0}};
  for (uint32_t f = 0; f < 5; ++f) {
    Generator g(11, f);
    double energy = 0, normal = 0;
    constexpr int kSamples = 200000;
    for (int i = 0; i < kSamples; ++i) {
      int32_t v[3] = {kOne, kOne, kOne};  // a hot molecule: forgotten
      diffuse_velocity(faces[f], spread, g, v);
      const int64_t outward = int64_t{v[0]} * out[f][0] + int64_t{v[1]} * out[f][1];
      ASSERT_GE(outward, 0) << "face " << f << " sample " << i;
      energy += double(v[0]) * v[0] + double(v[1]) * v[1] + double(v[2]) * v[2];
      normal += double(outward);
    }
    EXPECT_NEAR(energy / kSamples / expected, 1.0, 0.02) << "face " << f;
    // Rayleigh's mean is spread x sqrt(pi / 2); a 45-degree face's normal is sqrt 2 long.
    const double length = out[f][1] == 0 ? 1.0 : 1.41421356;
    EXPECT_NEAR(normal / kSamples / length / (spread * 1.2533141), 1.0, 0.02) << "face " << f;
  }
}

// A closed box with a wedge of diffuse walls: collisions keep the energy, the wedge
// brings the gas to its own temperature, cold or hot; no molecule ever lies inside it.
TEST(Mp3dWall, DiffuseWedgeBringsTheGasToTheWallTemperature) {
  for (const int32_t wall : {kOne / 16, kOne / 4}) {
    Params p = small_box();
    p.nz = 1;  // few reservoir molecules to bring to temperature too
    p.ends = Ends::Closed;
    p.speed = 0;
    p.thermal = kOne / 8;
    p.molecules = 1000;
    p.walls = Walls::Diffuse;
    p.wall_thermal = wall;
    Tunnel run(p);
    const uint32_t cap = lane_capacity(p);
    auto mean_energy = [&] {
      double e = 0;
      for (uint32_t l = 0; l < kLanes; ++l)
        for (uint32_t i = 0; i < run.sim.lane(l).molecules; ++i) {
          const Molecule& m = run.molecules[l * cap + i];
          e += double(m.u) * m.u + double(m.v) * m.v + double(m.w) * m.w;
        }
      return e / run.sim.molecules();
    };
    const double start = mean_energy(), target = 3.0 * wall * wall;
    uint32_t reflected = 0;
    double late = 0;  // the mean energy over the last 1,000 steps, sampled every 50
    for (int s = 0; s < 6000; ++s) {
      run.step();
      reflected += run.sim.summary().reflected;
      ASSERT_EQ(run.sim.molecules(), 1000u);
      if (s % 50 != 0) continue;
      if (s >= 5000) late += mean_energy() / 20;
      for (uint32_t l = 0; l < kLanes; ++l)
        for (uint32_t i = 0; i < run.sim.lane(l).molecules; ++i) {
          const Molecule& m = run.molecules[l * cap + i];
          ASSERT_FALSE(inside_object(p, run.sim.geometry(), Position{m.x, m.y, m.z})) << "step " << s;
        }
    }
    EXPECT_GT(reflected, 10000u);
    // From 4 times (or a quarter of) the wall's energy to within 5% of it (a half-normal
    // emission in place of Rayleigh's would settle at 3/4 of it).
    const double ratio = wall < kOne / 8 ? 4.0 : 0.25;
    EXPECT_NEAR(start / target, ratio, 0.1 * ratio);
    EXPECT_NEAR(late / target, 1.0, 0.05) << "wall spread " << wall;
  }
}

// Diffuse walls in the wind tunnel: the molecule count still follows the bookkeeping,
// nothing enters the object, and the run differs from a specular one.
TEST(Mp3dWall, DiffuseTunnelKeepsItsBookkeepingAndItsObjectEmpty) {
  for (const Object object : {Object::Wedge, Object::Plate}) {
    Params p;
    p.object = object;
    p.walls = Walls::Diffuse;
    Tunnel run(p);
    uint32_t before = run.sim.molecules(), reflected = 0;
    const uint32_t cap = lane_capacity(p);
    for (int s = 0; s < 60; ++s) {
      run.step();
      const Summary sum = run.sim.summary();
      ASSERT_EQ(sum.molecules, before - sum.exited - sum.upstream + sum.injected);
      before = sum.molecules;
      reflected += sum.reflected;
      for (uint32_t l = 0; l < kLanes; ++l)
        for (uint32_t i = 0; i < run.sim.lane(l).molecules; ++i) {
          const Molecule& m = run.molecules[l * cap + i];
          ASSERT_FALSE(inside_object(p, run.sim.geometry(), Position{m.x, m.y, m.z})) << "step " << s;
        }
    }
    EXPECT_GT(reflected, 500u);
    Params specular = p;
    specular.walls = Walls::Specular;
    Tunnel mirror(specular);
    for (int s = 0; s < 60; ++s) mirror.step();
    EXPECT_NE(run.sim.checksum(), mirror.sim.checksum());
  }
}

TEST(Mp3dSimulation, MoleculeCountFollowsInflowAndOutflow) {
  Params p;
  Tunnel run(p);
  uint32_t before = run.sim.molecules();
  EXPECT_EQ(before, p.molecules);
  uint32_t exited = 0, injected = 0;
  for (int s = 0; s < 60; ++s) {
    run.step();
    const Summary sum = run.sim.summary();
    EXPECT_EQ(sum.molecules, before - sum.exited - sum.upstream + sum.injected);
    before = sum.molecules;
    exited += sum.exited;
    injected += sum.injected;
  }
  EXPECT_GT(exited, 1000u);
  EXPECT_GT(injected, 1000u);
}

TEST(Mp3dSimulation, ClosedBoxKeepsItsMoleculesAndEnergy) {
  Params p = small_box();
  p.ends = Ends::Closed;
  p.molecules = 2000;
  Tunnel run(p);
  int64_t m0[3], e0;
  run.totals(m0, &e0);
  uint64_t collisions = 0;
  for (int s = 0; s < 30; ++s) {
    run.step();
    int64_t m[3], e;
    run.totals(m, &e);
    ASSERT_EQ(e, e0) << "step " << s;
    ASSERT_EQ(run.sim.molecules(), 2000u);
    collisions += run.sim.summary().collisions;
  }
  EXPECT_GT(collisions, 1000u);
}

TEST(Mp3dSimulation, FreeStreamHoldsItsDensity) {
  Params p;
  p.object = Object::None;
  Tunnel run(p);
  for (int s = 0; s < 100; ++s) run.step();
  const uint32_t n = run.sim.molecules();
  EXPECT_GT(n, p.molecules * 95 / 100);
  EXPECT_LT(n, p.molecules * 105 / 100);
}

TEST(Mp3dSimulation, TheWedgeRaisesABowShock) {
  Params p;
  p.nx = 48;
  p.ny = 24;
  p.molecules = 12000;
  Tunnel run(p);
  for (int s = 0; s < 80; ++s) run.step();
  const Summary sum = run.sim.summary();
  EXPECT_GT(sum.shock_layer, sum.free_stream * 2) << sum.shock_layer << " vs " << sum.free_stream;
  EXPECT_LT(sum.wake, sum.free_stream) << sum.wake << " vs " << sum.free_stream;
}

TEST(Mp3dSimulation, ResultsDoNotDependOnTheOrderOfTheLanes) {
  Params p;
  Tunnel a(p), b(p);
  for (int s = 0; s < 20; ++s) {
    a.step(false);
    b.step(true);
  }
  EXPECT_EQ(a.sim.checksum(), b.sim.checksum());
  Params other = p;
  other.seed += 1;
  Tunnel c(other);
  for (int s = 0; s < 20; ++s) c.step();
  EXPECT_NE(a.sim.checksum(), c.sim.checksum());
}

}  // namespace
}  // namespace mp3d

namespace mp3d {
namespace {

// The guest test `mp3d_threads` (tools/xtask/src/guest_tests.rs) expects exactly these
// checksums from ak-mp3d on the 68040 for `start mp3d steps=5` (paged: its data set is
// larger than its grant) and `start mp3d mem=2 steps=20 threads=T`; a change to the
// simulation changes both places.
TEST(Mp3dSimulation, ReferenceChecksumsTheGuestMustMatch) {
  Tunnel a{Params{}};
  for (int s = 0; s < 5; ++s) a.step();
  EXPECT_EQ(a.sim.checksum(), 0xcdbc86b4u);
  for (int s = 5; s < 20; ++s) a.step();
  EXPECT_EQ(a.sim.checksum(), 0xf0e7f86au);
  Params p;
  p.nx = 48;
  p.ny = 24;
  p.molecules = 9000;
  p.object = Object::Plate;
  Tunnel b{p};
  for (int s = 0; s < 20; ++s) b.step();
  EXPECT_EQ(b.sim.checksum(), 0x82c84624u);  // as ak-mp3d computed it with 1, 2 and 4 threads
  // Diffuse walls (`start mp3d mem=2 steps=20 walls=diffuse threads=T`).
  Params d;
  d.walls = Walls::Diffuse;
  Tunnel e{d};
  for (int s = 0; s < 20; ++s) e.step();
  EXPECT_EQ(e.sim.checksum(), 0x732b50dbu);
  // `mp3d_paging`'s case: 4 times its memory, paged under each policy.
  Params q;
  q.molecules = 23000;
  q.capacity = 34816;
  Tunnel c{q};
  for (int s = 0; s < 3; ++s) c.step();
  EXPECT_EQ(c.sim.checksum(), 0x03697b98u);
}

}  // namespace
}  // namespace mp3d
