// MP3D, the simulation (simulation.h).
#include "simulation.h"

#include "collision.h"
#include "wall.h"

namespace mp3d {

namespace {

constexpr uint32_t kFnvOffset = 0x811c9dc5u, kFnvPrime = 0x01000193u;

uint32_t fnv(uint32_t hash, uint32_t word) {
  for (int i = 0; i < 4; ++i) hash = (hash ^ ((word >> (8 * i)) & 0xff)) * kFnvPrime;
  return hash;
}

uint32_t energy_of(int32_t u, int32_t v, int32_t w) {
  const int32_t a = u >> 8, b = v >> 8, c = w >> 8;
  return static_cast<uint32_t>(a * a + b * b + c * c);
}

}  // namespace

Simulation::Simulation(const Params& p, Molecule* molecules, Cell* cells)
    : params_(p),
      geometry_(mp3d::geometry(p)),
      molecules_(molecules),
      cells_(cells),
      lane_capacity_(lane_capacity(p)),
      cells_count_(cell_count(p)) {
  // Free-stream density (molecules per cell, 16.16) x inflow area x speed (cells a step).
  if (p.ends == Ends::Open) {
    const uint32_t density16 = (p.molecules << 8) / cells_count_ << 8;
    inflow_ =
        static_cast<uint32_t>((static_cast<uint64_t>(density16) * p.ny * p.nz * static_cast<uint32_t>(p.speed)) >> 16);
  }
}

int32_t Simulation::thermal(Generator& g) const { return deviate(g, params_.thermal); }

void Simulation::free_stream_velocity(Generator& g, int32_t v[3]) const {
  v[0] = params_.speed + thermal(g);
  v[1] = thermal(g);
  v[2] = thermal(g);
}

void Simulation::start() {
  step_ = 0;
  for (uint32_t l = 0; l < kLanes; ++l) state_[l] = Lane{Generator(params_.seed, l + 1), 0};
  Generator cells_generator(params_.seed, 0);
  for (uint32_t c = 0; c < cells_count_; ++c) {
    Cell& cell = cells_[c];
    for (LaneCell& lc : cell.lane) {
      int32_t v[3];
      free_stream_velocity(cells_generator, v);
      lc = LaneCell{v[0], v[1], v[2], 0, 0, 0, 0, 0};
    }
    cell.density = 0;
    cell.reserved[0] = cell.reserved[1] = 0;
  }
  clear_statistics();
  for (uint32_t l = 0; l < kLanes; ++l) {
    const uint32_t want = params_.molecules / kLanes + (l < params_.molecules % kLanes ? 1 : 0);
    const uint32_t n = want < lane_capacity_ ? want : lane_capacity_;
    Generator& g = state_[l].generator;
    Molecule* base = lane_base(l);
    for (uint32_t i = 0; i < n; ++i) {
      Molecule& m = base[i];
      Position p;
      do {
        p = Position{static_cast<int32_t>(g.next() % static_cast<uint32_t>(geometry_.xmax)),
                     static_cast<int32_t>(g.next() % static_cast<uint32_t>(geometry_.ymax)),
                     static_cast<int32_t>(g.next() % static_cast<uint32_t>(geometry_.zmax))};
      } while (inside_object(params_, geometry_, p));
      int32_t v[3];
      free_stream_velocity(g, v);
      m = Molecule{p.x, p.y, p.z, v[0], v[1], v[2], 0, 0};
      cells_[cell_of(m)].density += 1;
    }
    lanes_[l] = LaneCounts{};
    lanes_[l].molecules = n;
  }
}

void Simulation::clear_statistics() {
  for (uint32_t c = 0; c < cells_count_; ++c) {
    Cell& cell = cells_[c];
    cell.density_sum = 0;
    cell.u_sum = cell.v_sum = 0;
    cell.energy_sum = 0;
    cell.samples = 0;
  }
}

void Simulation::settle(uint32_t l, Molecule& m) {
  Cell& cell = cells_[cell_of(m)];
  LaneCell& lc = cell.lane[l];
  Generator& g = state_[l].generator;
  LaneCounts& counts = lanes_[l];
  if (g.next16() < collision_probability(cell.density, params_.collide)) {
    Velocity a{m.u, m.v, m.w}, b{lc.ru, lc.rv, lc.rw};
    if (collide(a, b, g.next())) {
      m.u = a.u;
      m.v = a.v;
      m.w = a.w;
      lc.ru = b.u;
      lc.rv = b.v;
      lc.rw = b.w;
      m.collisions += 1;
      counts.collisions += 1;
    }
  }
  lc.count += 1;
  lc.su += m.u;
  lc.sv += m.v;
  lc.sw += m.w;
  lc.energy += energy_of(m.u, m.v, m.w);
}

void Simulation::move(uint32_t l) {
  LaneCounts& counts = lanes_[l];
  const uint64_t total = counts.total_collisions;
  const uint32_t n = counts.molecules;
  counts = LaneCounts{};
  counts.total_collisions = total;
  Molecule* base = lane_base(l);
  uint32_t w = 0;
  for (uint32_t r = 0; r < n; ++r) {
    Molecule m = base[r];
    const Position from{m.x, m.y, m.z};
    Position p{m.x + m.u, m.y + m.v, m.z + m.w};
    int32_t v[3] = {m.u, m.v, m.w};
    Face face = Face::None;
    const Fate fate = apply_boundaries(params_, geometry_, from, p, v, &face);
    if (fate == Fate::Exited || fate == Fate::Upstream) {
      (fate == Fate::Exited ? counts.exited : counts.upstream) += 1;
      continue;
    }
    if (fate == Fate::Reflected) counts.reflected += 1;
    // Where the reflection stood (the molecule outside the face), a diffuse wall replaces
    // the mirrored velocity with one at the wall's temperature, pointing away from it.
    if (params_.walls == Walls::Diffuse && face != Face::None)
      diffuse_velocity(face, params_.wall_thermal, state_[l].generator, v);
    m.x = p.x;
    m.y = p.y;
    m.z = p.z;
    m.u = v[0];
    m.v = v[1];
    m.w = v[2];
    settle(l, m);
    base[w] = m;
    w += 1;
    if (hook_ != nullptr && w % kMoleculesPerPage == 0) hook_->sweeping(l, w);
  }
  inject(l, w);
  counts.total_collisions += counts.collisions;
  if (hook_ != nullptr) hook_->sweeping(l, counts.molecules);
}

void Simulation::inject(uint32_t l, uint32_t at) {
  Lane& lane = state_[l];
  LaneCounts& counts = lanes_[l];
  lane.inflow_remainder += inflow_ / kLanes + (l < (inflow_ % kLanes) ? 1 : 0);
  const uint32_t n = lane.inflow_remainder >> 16;
  lane.inflow_remainder &= 0xffff;
  Molecule* base = lane_base(l);
  Generator& g = lane.generator;
  for (uint32_t i = 0; i < n; ++i) {
    int32_t v[3];
    free_stream_velocity(g, v);
    // Entered at a random moment of the step: x is a random part of its own step.
    const uint32_t u = static_cast<uint32_t>(v[0]), part = g.next16();
    const int32_t x = v[0] > 0 && u < (1u << 17) ? static_cast<int32_t>((part * (u >> 1)) >> 15) : 0;
    const Position p{x, static_cast<int32_t>(g.next() % static_cast<uint32_t>(geometry_.ymax)),
                     static_cast<int32_t>(g.next() % static_cast<uint32_t>(geometry_.zmax))};
    if (at == lane_capacity_ || v[0] <= 0 || inside_object(params_, geometry_, p)) {
      counts.dropped += 1;
      continue;
    }
    Molecule m{p.x, p.y, p.z, v[0], v[1], v[2], 0, step_ + 1};
    settle(l, m);
    base[at] = m;
    at += 1;
    counts.injected += 1;
  }
  counts.molecules = at;
}

void Simulation::reduce(uint32_t first_cell, uint32_t end_cell) {
  for (uint32_t c = first_cell; c < end_cell && c < cells_count_; ++c) {
    Cell& cell = cells_[c];
    uint32_t count = 0, energy = 0;
    int32_t su = 0, sv = 0;
    for (LaneCell& lc : cell.lane) {
      count += lc.count;
      su += lc.su;
      sv += lc.sv;
      energy += lc.energy;
      lc.count = 0;
      lc.su = lc.sv = lc.sw = 0;
      lc.energy = 0;
    }
    cell.density = count;
    cell.density_sum += count;
    cell.u_sum += su;
    cell.v_sum += sv;
    cell.energy_sum += energy;
    cell.samples += 1;
  }
}

void Simulation::end_step() { step_ += 1; }

uint32_t Simulation::molecules() const {
  uint32_t n = 0;
  for (const LaneCounts& c : lanes_) n += c.molecules;
  return n;
}

uint32_t Simulation::mean_density(uint32_t x0, uint32_t x1, uint32_t y0, uint32_t y1) const {
  uint32_t sum = 0, n = 0;
  for (uint32_t z = 0; z < params_.nz; ++z)
    for (uint32_t y = y0; y < y1 && y < params_.ny; ++y)
      for (uint32_t x = x0; x < x1 && x < params_.nx; ++x) {
        // Cells whose middle lies in the object hold no gas to speak of.
        const Position middle{static_cast<int32_t>(x) * kOne + kOne / 2, static_cast<int32_t>(y) * kOne + kOne / 2,
                              static_cast<int32_t>(z) * kOne + kOne / 2};
        if (inside_object(params_, geometry_, middle)) continue;
        sum += cell(x, y, z).density;
        n += 1;
      }
  return n == 0 ? 0 : sum * 100 / n;
}

Summary Simulation::summary() const {
  Summary s{};
  s.step = step_;
  for (const LaneCounts& c : lanes_) {
    s.molecules += c.molecules;
    s.collisions += c.collisions;
    s.total_collisions += c.total_collisions;
    s.exited += c.exited;
    s.upstream += c.upstream;
    s.injected += c.injected;
    s.dropped += c.dropped;
    s.reflected += c.reflected;
  }
  const uint32_t apex = static_cast<uint32_t>(geometry_.apex >> 16), base = static_cast<uint32_t>(geometry_.base >> 16);
  const uint32_t centre = static_cast<uint32_t>(geometry_.centre >> 16);
  const uint32_t half = static_cast<uint32_t>(geometry_.half >> 16);
  s.free_stream = mean_density(1, 1 + apex / 3, 0, params_.ny);
  if (params_.object == Object::Plate) {
    // In front of the plate, and behind it.
    s.shock_layer = mean_density(apex >= 3 ? apex - 3 : 0, apex, centre - half, centre + half);
    s.wake = mean_density(apex + 1, apex + 3, centre - half / 2, centre + half / 2);
  } else {
    // Along the wedge's faces, and behind its base.
    s.shock_layer = mean_density(apex, base, centre - half - 2, centre + half + 2);
    s.wake = mean_density(base, base + 2, centre - half / 2, centre + half / 2);
  }
  return s;
}

uint32_t Simulation::checksum() const {
  uint32_t h = kFnvOffset;
  for (uint32_t l = 0; l < kLanes; ++l) {
    const LaneCounts& c = lanes_[l];
    h = fnv(h, c.molecules);
    h = fnv(h, static_cast<uint32_t>(c.total_collisions));
    h = fnv(h, state_[l].inflow_remainder);
    const Molecule* base = lane_base(l);
    for (uint32_t i = 0; i < c.molecules; ++i) {
      const Molecule& m = base[i];
      const uint32_t words[8] = {static_cast<uint32_t>(m.x),
                                 static_cast<uint32_t>(m.y),
                                 static_cast<uint32_t>(m.z),
                                 static_cast<uint32_t>(m.u),
                                 static_cast<uint32_t>(m.v),
                                 static_cast<uint32_t>(m.w),
                                 m.collisions,
                                 m.born};
      for (uint32_t word : words) h = fnv(h, word);
    }
  }
  for (uint32_t c = 0; c < cells_count_; ++c) {
    const Cell& cell = cells_[c];
    h = fnv(h, cell.density);
    h = fnv(h, cell.density_sum);
    h = fnv(h, static_cast<uint32_t>(cell.u_sum));
    h = fnv(h, static_cast<uint32_t>(cell.v_sum));
    h = fnv(h, cell.energy_sum);
    for (const LaneCell& lc : cell.lane) {
      h = fnv(h, static_cast<uint32_t>(lc.ru));
      h = fnv(h, static_cast<uint32_t>(lc.rv));
      h = fnv(h, static_cast<uint32_t>(lc.rw));
    }
  }
  return h;
}

}  // namespace mp3d
