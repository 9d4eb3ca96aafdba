// Running an embedded application kernel as the first kernel (first_kernel_test.h).
#include "first_kernel_test.h"

#include "boot.h"
#include "calls.h"
#include "clock.h"
#include "first_kernel.h"
#include "log.h"
#include "panic.h"

namespace ck {

namespace {

ObjectCaches g_caches;

// The memory the application kernel gets: whole page groups, taken once.
PhysRange ak_memory() {
  static PhysRange memory;
  if (memory.size == 0) memory = boot_memory().take(16 * MiB, kGroupBytes);
  if (memory.size == 0) panic("no memory for the application kernel");
  return memory;
}

}  // namespace

void run_first_kernel_scenario(ktest::Context& t, StrView scenario) {
  g_caches.init();
  StartedKernel started;
  PromTable prom;
  if (!image_prom_table(&prom) ||
      !start_first_kernel(g_caches, prom, ak_memory(), scenario, &started, arch::console())) {
    t.check(false, "start the application kernel");
    return;
  }
  CacheKernel kernel(g_caches);
  Devices devices(g_caches, started.devices, arch::console(), 1000000000u / clock::rate_hz());
  kernel.set_devices(&devices);
  const RunStatistics stats = run_threads(g_caches.run_queue(), kernel);
  const auto* info = static_cast<const ck_boot_info*>(arch::physical_memory(started.boot_info));
  klog::info("{}: {} calls, {} exceptions forwarded, {} entries, {} switches, {} idles", scenario,
             kernel.counters().calls, kernel.counters().forwarded, stats.entries, stats.switches, stats.idles);
  t.check_eq(info->exit_code, 0u, "failed checks in the application kernel");
  t.check_eq(kernel.counters().failed_exceptions, 0u, "exceptions that could not be forwarded");
  t.check(g_caches.consistent(&arch::console()), "caches consistent afterwards");
  g_caches.clear();
}

}  // namespace ck
