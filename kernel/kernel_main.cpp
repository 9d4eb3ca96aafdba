// The kernel image's main program (paper §2.4, §3): the Cache Kernel starts the System
// Resource Manager, the first image of the PROM table, as its first kernel with all free
// memory, the devices and the table, and runs it; `monitor` on the command line gives
// the boot monitor instead.
#include "boot.h"
#include "calls.h"
#include "clock.h"
#include "first_kernel.h"
#include "log.h"
#include "panic.h"

namespace ck {

[[noreturn]] void run_monitor();  // monitor.cpp

namespace {
ObjectCaches g_caches;

// What began a masked stretch (arch::MaskedStretches' codes), for the log.
void describe_masked(Sink& out, u32 what) {
  using M = arch::MaskedStretches;
  if (what < M::kVector) return format(out, "call {}", what);
  if (what < M::kIdleWakeUp) return format(out, "vector {}", what - M::kVector);
  if (what == M::kIdleWakeUp) return format(out, "an interrupt ending the idle STOP");
  format(out, "the invariant walk, CK_QUERY_DIGEST");
}

// Images built with MEASURE_MASKED (the fuzz image) say how long interrupts stayed
// masked at most; `cargo xtask fuzz` reads these lines (one instruction per ns).
void report_masked_stretches() {
  const arch::MaskedStretches m = arch::masked_stretches();
  if (!m.measured) return;
  char what[48], outside[48];
  BufferSink a(what, sizeof what), b(outside, sizeof outside);
  describe_masked(a, m.longest_what);
  describe_masked(b, m.outside_walk_what);
  klog::info("longest masked stretch: {} instructions ({})", static_cast<u32>(m.longest_ns), a.view());
  klog::info("longest masked stretch outside the invariant walk: {} instructions ({})",
             static_cast<u32>(m.outside_walk_ns), b.view());
}
// Where the SRM's random seed came from: without a source every kernel's "random"
// numbers follow the clock alone, which users of getrandom must be told.
void log_entropy(u32 sources) {
  if (sources == 0) {
    klog::warn("entropy: the machine has no source (no boot seed, no virtio-rng): random numbers follow the clock");
    return;
  }
  klog::info("entropy: {}{}{}", StrView((sources & CK_ENTROPY_BOOT_SEED) != 0 ? "the boot seed" : ""),
             StrView(sources == (CK_ENTROPY_BOOT_SEED | CK_ENTROPY_DEVICE) ? " and " : ""),
             StrView((sources & CK_ENTROPY_DEVICE) != 0 ? "virtio-rng" : ""));
}

}  // namespace

void kernel_main() {
  StrView unused;
  if (command_line().lookup("monitor", &unused)) run_monitor();
  // All free memory in whole page groups (one group's worth left for the alignment).
  const u32 free = boot_memory().free_bytes() & ~(kGroupBytes - 1);
  const PhysRange memory = boot_memory().take(free - kGroupBytes, kGroupBytes);
  if (memory.size == 0) panic("no memory for the System Resource Manager");
  g_caches.init();
  PromTable prom;
  if (!image_prom_table(&prom)) panic("the image has no PROM table of application kernels");
  StartedKernel srm;
  // The SRM reads what to start (start=...) from the kernel's command line.
  if (!start_first_kernel(g_caches, prom, memory, command_line().text(), &srm, arch::console()))
    panic("cannot start the System Resource Manager");
  klog::info("srm: started with {} KiB; {} application kernels in the PROM table", memory.size / KiB, prom.count());
  log_entropy(srm.entropy_sources);
  CacheKernel kernel(g_caches);
  Devices devices(g_caches, srm.devices, arch::console(), 1000000000u / clock::rate_hz());
  kernel.set_devices(&devices);
  run_threads(g_caches.run_queue(), kernel);
  klog::warn("srm: its threads are gone; the Cache Kernel has nothing left to run");
  report_masked_stretches();
  arch::power_off();
}

}  // namespace ck
