// A compute application kernel for the PROM table (paper §3): the SRM starts it by
// default. It fills 64 KiB of its memory with a known pattern and, round after round,
// checks every word and moves the pattern on, so that memory a swap or a reload lost or
// changed shows at once. It also shows that it holds only the memory it was granted.
//
// Arguments (the SRM passes them on): kernel=N (its slot, for its name), rounds=N
// (0: forever), report=N (a line every N rounds; 0: only at the start and the end),
// crash=N (write through a null pointer in round N, with no exception handler),
// share=P with share_from=F and share_rounds=R (from round F to round R, the processor
// time it got must be at least its grant less P points: paper §4.3; meaningful while
// another kernel wants the processor all along, as the mp3d_share guest test arranges;
// F leaves out the start, while the SRM is still starting the others).
#include <stdint.h>

#include "lib/cmdline.h"
#include "libak.h"
#include "memory.h"  // libak: kPageBytes
#include "pattern.h"

namespace {

constexpr uint32_t kWords = 16 * 1024;  // 64 KiB
constexpr uint32_t kGroupBytes = 512 * 1024;
constexpr uint32_t kProbe = 0x50000000;  // a free virtual page for the grant checks

uint32_t g_data[kWords];
volatile uint32_t* volatile g_null;  // an opaque null pointer: the compiler keeps the write

struct Options {
  uint32_t kernel = 0, rounds = 0, report = 0, crash = 0;
  uint32_t share = 0, share_from = 0, share_rounds = 0;
};

Options parse(const ck_boot_info& info) {
  Options o;
  const ck::CommandLine args(reinterpret_cast<const char*>(info.arguments));
  ck::StrView v;
  if (args.lookup("kernel", &v)) ck::parse_u32(v, &o.kernel);
  if (args.lookup("rounds", &v)) ck::parse_u32(v, &o.rounds);
  if (args.lookup("report", &v)) ck::parse_u32(v, &o.report);
  if (args.lookup("crash", &v)) ck::parse_u32(v, &o.crash);
  if (args.lookup("share", &v)) ck::parse_u32(v, &o.share);
  if (args.lookup("share_from", &v)) ck::parse_u32(v, &o.share_from);
  if (args.lookup("share_rounds", &v)) ck::parse_u32(v, &o.share_rounds);
  return o;
}

// A page of its own memory maps; pages beyond its grant, on either side, do not.
void show_grant(const ck_boot_info& info, uint32_t kernel) {
  const int32_t inside = ak::load_mapping(info.space, kProbe, info.memory_base, CK_MAP_WRITE);
  if (inside == CK_OK) ak::unload_mapping(info.space, kProbe);
  const int32_t above = ak::load_mapping(info.space, kProbe, info.memory_end, 0);
  const uint32_t below_page = (info.ring_physical & ~(kGroupBytes - 1)) - 4096;
  const int32_t below = ak::load_mapping(info.space, kProbe, below_page, 0);
  const bool own = inside == CK_OK, beyond = above == CK_E_NO_RIGHTS && below == CK_E_NO_RIGHTS;
  ak::print(
      "worker#{}: its own memory {}, memory beyond its grant {} (kernel {:#x}, home space {:#x}, memory "
      "{:#010x}..{:#010x})\n",
      kernel, ck::StrView(own ? "maps" : "DOES NOT MAP"), ck::StrView(beyond ? "is refused" : "MAPS"), info.kernel,
      info.space, info.ring_physical, info.memory_end);
}

ck_kernel_stats own_stats() {
  ck_kernel_stats stats{};
  ak::kernel_stats(0, &stats);
  return stats;
}

// Where its share is measured from: the clock and its kernel's charged time then.
struct ShareStart {
  uint32_t time;
  uint64_t charged_ns, run_ns;
};

// The processor time it got since `start` against its grant (paper §4.3: a kernel that
// wants the processor gets at least its share; what no one was granted goes to whoever
// is ready). Judged on the time it ran: its charged time is less while it runs demoted
// over its share (the Cache Kernel's discount for a low band). The elapsed time is
// modulo 2^32 ns: the window must be under 4.29 s of guest time.
bool judge_share(const Options& o, const ShareStart& start) {
  const uint32_t elapsed = ak::now() - start.time;
  const ck_kernel_stats now = own_stats();
  const auto permille = [&](uint64_t ns) { return static_cast<uint32_t>(ns * 1000 / (elapsed == 0 ? 1 : elapsed)); };
  const uint32_t charged = permille(now.charged_ns - start.charged_ns), ran = permille(now.run_ns - start.run_ns);
  const bool got_it = ran + o.share * 10 >= now.cpu_percent * 10;
  ak::print(
      "worker#{}: processor over rounds {}..{} ({} to {} ns): ran {}.{}% of the elapsed time, charged {}.{}% (grant "
      "{}%): {} its grant less {} points\n",
      o.kernel, o.share_from, o.share_rounds, start.time, start.time + elapsed, ran / 10, ran % 10, charged / 10,
      charged % 10, now.cpu_percent, ck::StrView(got_it ? "at least" : "LESS THAN"), o.share);
  return got_it;
}

}  // namespace

// Started paged (ck_boot_info::paged_memory): a call whose pointer argument lies in a
// page of its own that is not mapped at the moment (here unloaded on purpose, as the
// Cache Kernel displaces such pages on small caches) is answered all the same: libak
// touches the page, the SRM maps it on the fault, and the call is made again
// (ak::call_with). The status is reported; 0 is CK_OK.
void check_paged_pointer(const ck_boot_info& info, uint32_t kernel) {
  if (info.paged_memory == 0) return;
  auto* stats = reinterpret_cast<ck_thread_stats*>(&g_data[kWords / 2]);
  const uint32_t page = reinterpret_cast<uint32_t>(stats) & ~(ak::kPageBytes - 1);
  (void)*reinterpret_cast<volatile uint32_t*>(page);  // mapped now (the SRM maps it on the fault)
  const int32_t unloaded = ak::unload_mapping(info.space, page);
  const int32_t s = ak::thread_stats(info.thread, stats);
  ak::print("worker#{}: a call's pointer into a page of its own not mapped (unload: status {}): status {}\n", kernel,
            unloaded, s);
}

int ak_main(const ck_boot_info& info) {
  const Options o = parse(info);
  show_grant(info, o.kernel);
  check_paged_pointer(info, o.kernel);
  const uint32_t seed = 0x5eed0000u + o.kernel;
  ak::Pattern pattern(g_data, kWords, seed);
  pattern.fill();
  uint32_t checksum = 0;
  ShareStart share_start{};
  bool share_ok = true;
  for (uint32_t round = 0; o.rounds == 0 || round < o.rounds; ++round) {
    if (o.share != 0 && round == o.share_from)
      share_start = ShareStart{.time = ak::now(), .charged_ns = own_stats().charged_ns, .run_ns = own_stats().run_ns};
    if (o.share != 0 && round == o.share_rounds) share_ok = judge_share(o, share_start);
    if (o.crash != 0 && round == o.crash) {
      ak::print("worker#{}: round {}: writing through a null pointer\n", o.kernel, round);
      *g_null = round;
    }
    if (!pattern.check_and_step(round, &checksum)) {
      ak::print("worker#{}: round {}: MEMORY CHANGED under it\n", o.kernel, round);
      return 1;
    }
    if (o.report != 0 && (round + 1) % o.report == 0)
      ak::print("worker#{}: round {}, checksum {:#010x}\n", o.kernel, round + 1, checksum);
  }
  ak::print("worker#{}: done: {} rounds, every word as expected, checksum {:#010x}\n", o.kernel, o.rounds, checksum);
  return share_ok ? 0 : 1;
}
