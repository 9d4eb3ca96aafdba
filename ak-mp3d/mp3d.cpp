// MP3D as an application kernel (issue 19; paper §2.4 and §3: "a hypersonic wind tunnel
// simulator, MP3D ... can significantly benefit from careful management of its own
// resources. For example, it can identify the portion of its data set to page out to
// provide room for data it is about to process"). The simulation (mp3d/) runs directly in
// the kernel's address space on the class libraries: its molecule and cell arrays are a
// segment the kernel pages itself (pager.h: frames of its grant, its area of the disk
// through the SRM's disk service, its own replacement policy), its threads are libak's
// (team.h: T workers, barriers, a scheduling thread of its own).
//
// Started by the SRM: `start mp3d [mem=G] [molecules=N] [cells=XxYxZ] [steps=S]
// [threads=T] [policy=mp3d|fifo|clock|lru|compare] [object=wedge|plate|none] [seed=N]
// [collide=N] [report=K] [dump=1] [warmup=W] [walls=specular|diffuse] [wall_thermal=N]`
// (options.h). `policy=compare` runs the same
// simulation under the mp3d policy, FIFO and clock in turn and prints the comparison.
// Output: a summary every K steps, the checksum of the final state (FNV-1a over every
// molecule and cell: the host build of mp3d/ computes the same), the paging figures per
// step (page-ins, page-outs, instructions: the clock counts instructions under -icount).
#include <stdint.h>

#include "ck_call.h"
#include "disk_client.h"
#include "lib/cmdline.h"
#include "libak.h"
#include "options.h"
#include "pager.h"
#include "policies.h"
#include "report.h"
#include "simulation.h"
#include "team.h"
#include "threads.h"

namespace mp3d_ak {
namespace {

constexpr uint32_t kDataBase = 0x40000000;     // the molecules, then the cells
constexpr uint32_t kRequestPage = 0x3ff00000;  // the disk service's request page
constexpr uint32_t kIoPriority = 12;           // above the workers: it wakes them
constexpr uint32_t kSchedulerPriority = 14;

uint32_t g_kernel;  // its slot, for the prefix of its lines
Options g_options;
DiskClient g_disk;
ak::ThreadStacks g_io_stacks, g_scheduler_stacks;

struct Run {
  const char* policy;
  uint32_t checksum;
  PagerStats paging;
  uint64_t elapsed_ns;  // the steps' time: under -icount instructions of every kernel, and the disk's time
  uint64_t run_ns;      // the processor time this kernel's threads used (under -icount: their instructions)
  uint64_t charged_ns;  // the same as the Cache Kernel charged it against the kernel's share (§4.3)
  bool ok;
};

class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    if (e.kind == CK_EXC_MAPPING && pager_ != nullptr && pager_->contains(e.address)) {
      const int32_t s = pager_->fault(e.address, e.thread);
      if (s == CK_OK) ak::resume();
      ak::print("mp3d#{}: cannot page in {:#010x}: status {}\n", g_kernel, e.address, s);
    }
  }
  Pager* pager_ = nullptr;
};
Handler g_handler;

mp3d::Simulation* g_sim;
SweepPolicy g_sweep_policy;
FifoPolicy g_fifo_policy;
ClockPolicy g_clock_policy;
SweepPolicy* g_sweep;  // the running policy when it is the mp3d one

void after_step(uint32_t step) {
  if (g_sweep != nullptr) g_sweep->new_step();
  if (g_options.warmup != 0 && step == g_options.warmup) g_sim->clear_statistics();
  if (g_options.report != 0 && step % g_options.report == 0) print_summary(g_kernel, g_sim->summary());
}

void io_thread(uint32_t) { g_disk.serve_signals(); }

ck_kernel_stats own_stats() {
  ck_kernel_stats stats{};
  ak::kernel_stats(0, &stats);
  return stats;
}

Policy& policy_of(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::Fifo:
      return g_fifo_policy;
    case PolicyKind::Clock:
      return g_clock_policy;
    default:
      return g_sweep_policy;
  }
}

// One run of the simulation under `kind`: from a fresh start, every page zero-filled.
Run run_once(Pager& pager, PolicyKind kind, mp3d::Simulation& sim, Team& team) {
  Policy& policy = policy_of(kind);
  pager.reset(policy);
  g_sweep = kind == PolicyKind::Sweep ? &g_sweep_policy : nullptr;
  sim.set_hook(g_sweep);
  sim.start();
  const PagerStats before = pager.stats();
  const uint32_t t0 = ak::now();
  const ck_kernel_stats s0 = own_stats();
  Run r{policy.name(), 0, {}, 0, 0, 0, team.run(g_options.threads, g_options.steps, &after_step)};
  r.elapsed_ns = ak::now() - t0;  // modulo 2^32: runs under 4.29 s of guest time
  const ck_kernel_stats s1 = own_stats();
  r.run_ns = s1.run_ns - s0.run_ns;
  r.charged_ns = s1.charged_ns - s0.charged_ns;
  const PagerStats& after = pager.stats();
  r.paging = PagerStats{after.page_ins - before.page_ins,
                        after.page_outs - before.page_outs,
                        after.zero_fills - before.zero_fills,
                        after.soft_faults - before.soft_faults,
                        after.evictions - before.evictions,
                        after.read_aheads - before.read_aheads,
                        after.read_ahead_hits - before.read_ahead_hits,
                        after.read_waits - before.read_waits,
                        after.read_wait_ns - before.read_wait_ns};
  r.ok = r.ok && pager.last_error() == CK_OK;
  r.checksum = sim.checksum();
  return r;
}

// Per step, x100: "d.dd".
void per_step(ck::Sink& out, const char* label, uint32_t total, uint32_t steps) {
  const uint32_t v = steps == 0 ? 0 : total * 100 / steps;
  ck::format(out, "{}{}.{}{}", ck::StrView(label), v / 100, (v / 10) % 10, v % 10);
}

void print_run(const Run& r) {
  char line[360];
  ck::BufferSink out(line, sizeof line);
  const uint32_t steps = g_options.steps;
  ck::format(out, "mp3d#{}: policy {}: checksum {:#010x}; per step", g_kernel, ck::StrView(r.policy), r.checksum);
  per_step(out, " page-ins ", r.paging.page_ins, steps);
  per_step(out, ", page-outs ", r.paging.page_outs, steps);
  const uint32_t molecules = g_sim->molecules();
  ck::format(out, ", run {} ns ({} a molecule), elapsed {} ns; soft faults {}, zero-filled {}",
             steps == 0 ? 0u : static_cast<uint32_t>(r.run_ns / steps),
             steps == 0 || molecules == 0 ? 0u : static_cast<uint32_t>(r.run_ns / steps / molecules),
             steps == 0 ? 0u : static_cast<uint32_t>(r.elapsed_ns / steps), r.paging.soft_faults, r.paging.zero_fills);
  per_step(out, "; read ahead ", r.paging.read_aheads, steps);
  per_step(out, " (faults on them ", r.paging.read_ahead_hits, steps);
  per_step(out, "), faults that waited for a read ", r.paging.read_waits, steps);
  ck::format(out, " ({} ns)", steps == 0 ? 0u : r.paging.read_wait_ns / steps);
  ak::print("{}\n", out.view());
}

// Its processor time over the run against its grant (§4.3: the Cache Kernel charges a
// kernel's threads and runs them a band lower while it is over its share). Meaningful
// when something else wanted the processor all along (a worker beside it). False when
// `share` is set and the charged time is further than `share` points from the grant.
bool judge_share(const Run& r) {
  const uint32_t grant = own_stats().cpu_percent;
  const uint64_t elapsed = r.elapsed_ns == 0 ? 1 : r.elapsed_ns;
  const auto permille = [&](uint64_t ns) { return static_cast<uint32_t>(ns * 1000 / elapsed); };
  const uint32_t charged = permille(r.charged_ns), ran = permille(r.run_ns);
  const uint32_t distance = charged > grant * 10 ? charged - grant * 10 : grant * 10 - charged;
  const bool within = distance <= g_options.share * 10;
  const uint32_t end = ak::now();
  ak::print(
      "mp3d#{}: processor ({} to {} ns): charged {}.{}% of the elapsed time, ran {}.{}% (grant {}%): {} {} points of "
      "it\n",
      g_kernel, end - static_cast<uint32_t>(r.elapsed_ns), end, charged / 10, charged % 10, ran / 10, ran % 10, grant,
      ck::StrView(within ? "within" : "NOT WITHIN"), g_options.share);
  return within;
}

// The paper's point in figures: the application's policy against the generic ones.
bool compare(const Run runs[3]) {
  const Run &app = runs[0], &fifo = runs[1], &clock = runs[2];
  const bool same = app.checksum == fifo.checksum && app.checksum == clock.checksum;
  ak::print("mp3d#{}: paging per step: mp3d {} page-ins, fifo {}, clock {}; mp3d needs {}% of fifo's ({})\n", g_kernel,
            app.paging.page_ins / g_options.steps, fifo.paging.page_ins / g_options.steps,
            clock.paging.page_ins / g_options.steps,
            fifo.paging.page_ins == 0 ? 0u : app.paging.page_ins * 100 / fifo.paging.page_ins,
            ck::StrView(app.paging.page_ins * 4 <= fifo.paging.page_ins ? "at most a quarter" : "MORE THAN A QUARTER"));
  ak::print("mp3d#{}: the three policies' checksums {}\n", g_kernel, ck::StrView(same ? "agree" : "DIFFER"));
  // Read-ahead (on unless readahead=0): most of the mp3d policy's reads are started before
  // the sweep faults on their pages. How many of those faults still wait for the rest of a
  // read depends on how fast the disk answers (in host time, even under -icount): shown,
  // not judged.
  const PagerStats& p = app.paging;
  const bool ahead = !g_options.read_ahead || p.read_ahead_hits * 4 >= p.page_ins * 3;
  ak::print("mp3d#{}: read ahead: {} of its {} page-ins, {} faults waited for a read ({})\n", g_kernel,
            p.read_ahead_hits, p.page_ins, p.read_waits,
            ck::StrView(!g_options.read_ahead ? "off"
                        : ahead               ? "at least 3/4 read ahead"
                                              : "TOO FEW READ AHEAD"));
  return same && ahead && app.paging.page_ins * 4 <= fifo.paging.page_ins;
}

}  // namespace
}  // namespace mp3d_ak

int ak_main(const ck_boot_info& info) {
  using namespace mp3d_ak;
  const char* arguments = reinterpret_cast<const char*>(info.arguments);
  ck::StrView v;
  if (ck::CommandLine(ck::StrView(arguments)).lookup("kernel", &v)) ck::parse_u32(v, &g_kernel);
  if (!parse_options(arguments, &g_options)) return 2;
  const mp3d::Params& params = g_options.params;

  // The data set: the molecule array (whole pages per lane), then the cells.
  const uint32_t lane_pages = mp3d::lane_capacity(params) / mp3d::kMoleculesPerPage;
  const uint32_t molecule_bytes = lane_pages * mp3d::kLanes * ak::kPageBytes;
  const uint32_t cell_pages = (mp3d::cell_count(params) * sizeof(mp3d::Cell) + ak::kPageBytes - 1) / ak::kPageBytes;
  const uint32_t pages = lane_pages * mp3d::kLanes + cell_pages;
  if (pages > kMaxDataPages) {
    ak::print("mp3d#{}: the data set is {} KiB; at most {} KiB\n", g_kernel, pages * 4, kMaxDataPages * 4);
    return 2;
  }

  static ak::FrameAllocator frames(info.memory_base, info.memory_end);
  uint32_t request_frame = 0;
  frames.allocate(&request_frame);
  static ak::ThreadLibrary threads(info.space, info.ring, nullptr);
  const uint32_t io = threads.spawn(&io_thread, 0, g_io_stacks, kIoPriority);
  if (io == ak::ThreadLibrary::kMaxThreads) {
    ak::print("mp3d#{}: cannot start its I/O thread\n", g_kernel);
    return 1;
  }
  const uint32_t memory_frames = frames.available();
  if (pages > memory_frames) {
    if (const int32_t s = g_disk.connect(request_frame, kRequestPage, threads.id(io)); s != CK_OK) {
      ak::print("mp3d#{}: the data set ({} KiB) is larger than its memory ({} KiB) and it has no disk: status {}\n",
                g_kernel, pages * 4, memory_frames * 4, s);
      return 1;
    }
  }
  static Pager pager(info.space, kDataBase, pages, frames, memory_frames, g_sweep_policy, g_disk);
  g_handler.pager_ = &pager;
  ak::set_exception_handler(&g_handler);
  g_sweep_policy.configure(lane_pages, pages);
  g_sweep_policy.set_read_ahead(g_options.read_ahead);

  auto* molecules = reinterpret_cast<mp3d::Molecule*>(kDataBase);
  auto* cells = reinterpret_cast<mp3d::Cell*>(kDataBase + molecule_bytes);
  static mp3d::Simulation sim(params, molecules, cells);
  g_sim = &sim;
  static Team team(threads, sim);
  static Scheduler scheduler(team);
  scheduler.start(info.space, g_scheduler_stacks, kSchedulerPriority, 0);

  ak::print(
      "mp3d#{}: {}x{}x{} cells, {} molecules ({} slots), {} threads, policy {}: data set {} KiB, memory for it {} "
      "KiB ({}.{}x)\n",
      g_kernel, params.nx, params.ny, params.nz, params.molecules, lane_pages * mp3d::kLanes * mp3d::kMoleculesPerPage,
      g_options.threads, ck::StrView(policy_name(g_options.policy)), pages * 4, memory_frames * 4,
      pages / memory_frames, pages * 10 / memory_frames % 10);

  bool ok = true;
  if (g_options.policy == PolicyKind::Compare) {
    static Run runs[3];
    const PolicyKind kinds[3] = {PolicyKind::Sweep, PolicyKind::Fifo, PolicyKind::Clock};
    for (uint32_t i = 0; i < 3; ++i) {
      runs[i] = run_once(pager, kinds[i], sim, team);
      print_run(runs[i]);
      ok = ok && runs[i].ok;
    }
    ok = compare(runs) && ok;
  } else {
    const Run r = run_once(pager, g_options.policy, sim, team);
    print_summary(g_kernel, sim.summary());
    print_run(r);
    ok = r.ok;
    if (g_options.share != 0) ok = judge_share(r) && ok;
  }
  if (g_options.dump) dump_density(sim);
  ak::print("mp3d#{}: done: {} steps, checksum {:#010x}\n", g_kernel, sim.step(), sim.checksum());
  return ok ? 0 : 1;
}
