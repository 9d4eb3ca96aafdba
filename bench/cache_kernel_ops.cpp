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

// What began a masked stretch (arch::MaskedStretches' codes).
void describe_masked(Sink& out, u32 what) {
  static constexpr const char* kCalls[] = {"CK_NULL",
                                           "CK_LOAD_KERNEL",
                                           "CK_UNLOAD_KERNEL",
                                           "CK_LOAD_SPACE",
                                           "CK_UNLOAD_SPACE",
                                           "CK_LOAD_THREAD",
                                           "CK_UNLOAD_THREAD",
                                           "CK_LOAD_MAPPING",
                                           "CK_UNLOAD_MAPPING",
                                           "CK_UNLOAD_PAGE",
                                           "CK_SET_MEMORY_ACCESS",
                                           "CK_SET_CPU",
                                           "CK_SET_LOCK_QUOTA",
                                           "CK_SET_PRIORITY",
                                           "CK_RESUME",
                                           "CK_LOAD_MAPPING_RESUME",
                                           "CK_CONSOLE_WRITE",
                                           "CK_QUERY",
                                           "CK_BLOCK",
                                           "CK_WAKE",
                                           "CK_THREAD_STATS",
                                           "CK_KERNEL_STATS",
                                           "CK_SIGNAL",
                                           "CK_SIGNAL_RETURN",
                                           "CK_WAIT_SIGNAL",
                                           "CK_SYNC_CODE",
                                           "CK_SET_THREAD_VALUE",
                                           "CK_EXCEPTION_FPU"};
  static_assert(sizeof kCalls / sizeof kCalls[0] == CK_OP_COUNT, "a name for every operation");
  using M = arch::MaskedStretches;
  if (what < CK_OP_COUNT) return format(out, "call {} ({})", what, kCalls[what]);
  if (what < M::kVector) return format(out, "call {} (no such operation)", what);
  if (what < M::kIdleWakeUp) return format(out, "vector {} from user mode", what - M::kVector);
  if (what == M::kIdleWakeUp) return format(out, "an interrupt ending the idle STOP");
  format(out, "the invariant walk, CK_QUERY_DIGEST");
}

// Only the image built with MEASURE_MASKED (cache_kernel_ops_masked) measures: the
// longest stretch with interrupts masked over the whole benchmark.
void report_masked_stretch() {
  const arch::MaskedStretches m = arch::masked_stretches();
  if (!m.measured) return;
  format(arch::console(),
         "KBENCH masked_stretch_max {} longest stretch with interrupts masked during the benchmark, begun by ",
         static_cast<u32>(m.longest_ns));
  describe_masked(arch::console(), m.longest_what);
  format(arch::console(), "\n");
}

}  // namespace

void ck::kernel_main() {
  format(arch::console(), "KBENCH BEGIN cache_kernel_ops\n");
  run();
  report_masked_stretch();
  format(arch::console(), "KBENCH END\n");
  arch::power_off();
}
