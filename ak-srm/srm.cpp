// The System Resource Manager (paper §3), the first kernel: started by the Cache Kernel
// at boot, locked, with all the memory, the devices and the PROM table. It starts the
// application kernels the command line names (srm.start=..., default two workers), owns
// their kernel objects and handles their writeback, and runs the console's command
// line. One thread does it all, woken by signals: console input, the clock's ticks and
// records in its writeback ring.
#include <stdint.h>

#include "checks.h"
#include "commands.h"
#include "console_focus.h"
#include "devices.h"
#include "disk_service.h"
#include "kernels.h"
#include "lib/cmdline.h"
#include "libak.h"

namespace srm {
namespace {

constexpr uint32_t kWindow = 0x80000000;       // the memory it grants, mapped as touched
constexpr uint32_t kWindowLimit = 0xf0000000;  // user addresses end here
constexpr uint32_t kRingSignals = 0x70300000;  // its ring again, in message mode
constexpr uint32_t kPriority = 24;             // above the kernels it starts
constexpr StrView kDefaultStart = "worker,worker";
constexpr uint64_t kDefaultPassNs = 50 * 1000000ull;

// The SRM's exception handler: mapping faults in the window and in the PROM table are
// answered; anything else in the SRM is fatal to it.
class Handler final : public ak::ExceptionHandler {
 public:
  explicit Handler(const ak::PhysicalWindow& window) : window_(window) {}
  void exception(ck_exception& e) override {
    if (e.kind == CK_EXC_MAPPING && window_.contains(e.address)) {
      const int32_t s = window_.fault(e.address);
      ak::print("SRM: cannot map its window at {:#010x}: status {}\n", e.address, s);
    }
    const ck_boot_info& info = ak::boot_info();
    // The images of the PROM table (the Cache Kernel maps only its head).
    if (e.kind == CK_EXC_MAPPING && e.address - info.prom_table < info.prom_bytes) {
      const uint32_t page = e.address & ~(ak::kPageBytes - 1);
      const int32_t s = ak::load_mapping_resume(page, info.prom_physical + (page - info.prom_table), 0);
      ak::print("SRM: cannot map the PROM table at {:#010x}: status {}\n", e.address, s);
    }
  }

 private:
  const ak::PhysicalWindow& window_;
};

// The SRM's writeback: the kernel objects it loaded and the faults of their kernels.
// Its own mappings of the window come back when touched; nothing else is its own.
class Writeback final : public ak::WritebackHandler {
 public:
  void kernel(const ck_writeback& r) override { kernel_written_back(r); }
  void fault(const ck_writeback& r) override { kernel_faulted(r); }
  void home_fault(const ck_writeback& r) override { kernel_home_fault(r); }
  void overflow(const ck_writeback& wrapper, const ck_writeback& record, const ck_thread_state& state) override {
    kernel_overflowed(wrapper, record, state);
  }
};

void drain_ring(ak::WritebackReader& ring) {
  static Writeback writeback;
  writeback.dispatch(ring);
}

// The Cache Kernel maps the PROM table's head (header and entries) locked for the first
// kernel; the SRM reads it only when it starts a kernel, so it lets those mappings go and
// maps pages again as it touches them, as it does the images (its Handler).
void unlock_prom_table(const ck_boot_info& info, const ck::PromTable& prom, ak::WritebackReader& ring) {
  for (uint32_t off = 0; off < prom.head_bytes(); off += ak::kPageBytes) {
    int32_t s = ak::unload_mapping(info.space, info.prom_table + off);
    for (int attempt = 0; s == CK_E_RETRY && attempt < 100; ++attempt) {
      drain_ring(ring);
      s = ak::unload_mapping(info.space, info.prom_table + off);
    }
  }
  drain_ring(ring);
}

}  // namespace

void drain_own_ring() {
  ak::WritebackReader ring(ak::boot_info().ring);
  drain_ring(ring);
}

namespace {

uint64_t pass_interval(const ck::CommandLine& args) {
  ck::StrView v;
  uint32_t ms;
  return args.lookup("srm.pass_ms", &v) && ck::parse_u32(v, &ms) && ms != 0 ? ms * 1000000ull : kDefaultPassNs;
}

}  // namespace
}  // namespace srm

int ak_main(const ck_boot_info& info) {
  using namespace srm;
  if (!map_devices(info)) {
    ak::print("SRM: cannot map the console and clock pages\n");
    return 1;
  }
  ak::set_priority(info.thread, kPriority);
  ck::PromTable prom;
  if (!prom.parse(reinterpret_cast<const uint8_t*>(info.prom_table), info.prom_bytes)) {
    say("SRM: no PROM table of application kernels: nothing to start\n");
  }
  MemoryPool pool;
  pool.init(info.memory_base, info.memory_end < kWindowLimit - kWindow ? info.memory_end : kWindowLimit - kWindow);
  static ak::PhysicalWindow window(kWindow + pool.base(), pool.base(), pool.end() - pool.base());
  static Handler handler(window);
  ak::set_exception_handler(&handler);
  init_kernels(prom, pool, window);
  ak::load_mapping(info.space, kRingSignals, info.ring_physical, CK_MAP_WRITE | CK_MAP_MESSAGE, info.thread);
  ak::WritebackReader ring(info.ring);
  unlock_prom_table(info, prom, ring);

  say("\nSRM: the first kernel; {} page groups of 512 KiB to grant, {} application kernel image(s) in the PROM.\n",
      pool.free_groups(), prom.count());
  const ck::CommandLine args(reinterpret_cast<const char*>(info.arguments));
  ck::StrView start = kDefaultStart;
  args.lookup("srm.start", &start);
  if (start != "none") start_from_list(start);
  say("SRM: type help for commands.\nsrm> ");

  const uint64_t interval = pass_interval(args);
  // srm.exit=idle: shut down once every kernel it started has ended (unattended runs
  // such as the fuzz suite's, which then need no console input and stay deterministic).
  ck::StrView exit_when;
  const bool exit_when_idle = args.lookup("srm.exit", &exit_when) && exit_when == "idle";
  uint64_t next_pass = 0;
  while (!shutdown_requested()) {
    drain_ring(ring);
    answer_checks();
    answer_disk_service();
    const uint64_t now = now_ns();
    if (now >= next_pass) {
      kernels_pass();
      console_pass();
      drain_ring(ring);
      next_pass = now + interval;
      if (exit_when_idle && live_kernels() == 0) run_command("shutdown");
    }
    if (console_given()) forward_console_input();
    ck::StrView line;
    while (!console_given() && !commands_held(now_ns()) && !shutdown_requested() && read_line(&line)) {
      run_command(line);
      drain_ring(ring);
      if (!shutdown_requested() && !console_given()) say("srm> ");
    }
    if (!shutdown_requested()) ak::wait_signal();  // input, a tick, a record
  }
  if (checks_answered() != 0)
    say("SRM: invariant checks on request: {} walked, {} failed\n", checks_answered(), checks_failed());
  say("SRM: every kernel stopped; the SRM ends and the Cache Kernel powers off.\n");
  return 0;
}
