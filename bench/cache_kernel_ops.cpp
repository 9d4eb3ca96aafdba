// Cache Kernel operations in instructions (paper §5.2 Table 2, §5.3; issue 4): starts the
// benchmark application kernel ak/ak_bench.cpp as the first kernel, with the paper's
// cache capacities (Table 1), and runs it; the application kernel times each call from
// its side and prints the figures. Any failed check in it fails the benchmark.
#include "boot.h"
#include "calls.h"
#include "first_kernel.h"
#include "log.h"
#include "panic.h"

namespace {

using namespace ck;

// Enough for a frame behind every one of the 65,536 mapping descriptors, and then some.
constexpr u32 kAkMemory = 300 * MiB;

ObjectCaches g_caches;

void run() {
  g_caches.init();
  const PhysRange memory = boot_memory().take(kAkMemory, kGroupBytes);
  if (memory.size == 0) panic("cache_kernel_ops needs {} MiB for its application kernel", kAkMemory / MiB);
  StartedKernel started;
  PromTable prom;
  if (!image_prom_table(&prom) || !start_first_kernel(g_caches, prom, memory, "", &started, arch::console()))
    panic("cannot start the benchmark application kernel");
  CacheKernel kernel(g_caches);
  run_threads(g_caches.run_queue(), kernel);
  const auto* info = static_cast<const ck_boot_info*>(arch::physical_memory(started.boot_info));
  if (info->exit_code != 0) panic("the benchmark application kernel failed {} checks", info->exit_code);
  if (kernel.counters().failed_exceptions != 0) panic("exceptions that could not be forwarded");
  if (!g_caches.consistent(&arch::console())) panic("caches inconsistent after the benchmark");
}

}  // namespace

void ck::kernel_main() {
  format(arch::console(), "KBENCH BEGIN cache_kernel_ops\n");
  run();
  format(arch::console(), "KBENCH END\n");
  arch::power_off();
}
