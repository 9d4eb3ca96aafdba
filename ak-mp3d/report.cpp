// What ak-mp3d prints (report.h).
#include "report.h"

#include "libak.h"

namespace mp3d_ak {

namespace {

// x100 fixed point as "d.dd".
void hundredths(ck::Sink& out, const char* label, uint32_t v) {
  ck::format(out, "{} {}.{}{}", ck::StrView(label), v / 100, (v / 10) % 10, v % 10);
}

}  // namespace

void print_summary(uint32_t kernel, const mp3d::Summary& s) {
  char line[240];
  ck::BufferSink out(line, sizeof line);
  ck::format(out, "mp3d#{}: step {}: {} molecules, {} collisions ({} in all), {} in, {} out;", kernel, s.step,
             s.molecules, s.collisions, static_cast<uint32_t>(s.total_collisions), s.injected, s.exited + s.upstream);
  hundredths(out, " density: free stream", s.free_stream);
  hundredths(out, ", shock layer", s.shock_layer);
  hundredths(out, ", wake", s.wake);
  ak::print("{} per cell\n", out.view());
}

void dump_density(const mp3d::Simulation& sim) {
  const mp3d::Params& p = sim.params();
  constexpr uint32_t kPerLine = 16;
  ak::print("mp3d-density-begin {} {}\n", p.nx, p.ny);
  for (uint32_t y = 0; y < p.ny; ++y) {
    for (uint32_t x0 = 0; x0 < p.nx; x0 += kPerLine) {
      char line[200];
      ck::BufferSink out(line, sizeof line);
      ck::format(out, "mp3d-density {} {}", y, x0);
      for (uint32_t x = x0; x < x0 + kPerLine && x < p.nx; ++x) {
        uint32_t sum = 0, samples = 0;
        // A cell whose centre is inside the object is "-": the picture draws the object,
        // not an empty cell (the wake just behind it is empty too).
        const mp3d::Position centre{static_cast<int32_t>(x) * mp3d::kOne + mp3d::kOne / 2,
                                    static_cast<int32_t>(y) * mp3d::kOne + mp3d::kOne / 2, mp3d::kOne / 2};
        if (mp3d::inside_object(p, sim.geometry(), centre)) {
          ck::format(out, " -");
          continue;
        }
        for (uint32_t z = 0; z < p.nz; ++z) {
          sum += sim.cell(x, y, z).density_sum;
          samples += sim.cell(x, y, z).samples;
        }
        ck::format(out, " {}", samples == 0 ? 0u : sum * 100 / samples);
      }
      ak::print("{}\n", out.view());
    }
  }
  ak::print("mp3d-density-end\n");
}

}  // namespace mp3d_ak
