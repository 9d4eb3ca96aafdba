// Application kernels on the Cache Kernel (issue 4): each case starts the test
// application kernel ak/ak_tests.cpp as the first kernel with one scenario, runs the
// Cache Kernel until its threads are gone, and reads its verdict (the number of failed
// checks it counted; its messages are on the console). Built with the small caches
// (4 kernels, 4 spaces, 8 threads, 64 mappings) so that the scenarios force replacement.
#include "boot.h"
#include "cache_kernel.h"
#include "first_kernel.h"
#include "ktest.h"
#include "lib/log.h"
#include "panic.h"

extern "C" const ck::u8 ak_image_start[], ak_image_end[];

namespace {

using namespace ck;

ObjectCaches g_caches;

// The memory the application kernel gets: whole page groups, taken once.
PhysRange ak_memory() {
  static PhysRange memory;
  if (memory.size == 0) memory = boot_memory().take(16 * MiB, kGroupBytes);
  if (memory.size == 0) panic("no memory for the application kernel");
  return memory;
}

void run_scenario(ktest::Context& t, StrView scenario) {
  g_caches.init();
  StartedKernel started;
  const u32 bytes = static_cast<u32>(ak_image_end - ak_image_start);
  if (!start_first_kernel(g_caches, ak_image_start, bytes, ak_memory(), scenario, &started, arch::console())) {
    t.check(false, "start the application kernel");
    return;
  }
  CacheKernel kernel(g_caches);
  const RunStatistics stats = run_threads(g_caches.run_queue(), kernel);
  const auto* info = static_cast<const ck_boot_info*>(arch::physical_memory(started.boot_info));
  klog::info("{}: {} calls, {} exceptions forwarded, {} entries", scenario, kernel.counters().calls,
             kernel.counters().forwarded, stats.entries);
  t.check_eq(info->exit_code, 0u, "failed checks in the application kernel");
  t.check_eq(kernel.counters().failed_exceptions, 0u, "exceptions that could not be forwarded");
  t.check(g_caches.consistent(&arch::console()), "caches consistent afterwards");
  g_caches.clear();
}

void demand_paging(ktest::Context& t) { run_scenario(t, "demand_paging"); }
void forwarded_trap(ktest::Context& t) { run_scenario(t, "forwarded_trap"); }
void thread_writeback(ktest::Context& t) { run_scenario(t, "thread_writeback"); }
void garbage_calls(ktest::Context& t) { run_scenario(t, "garbage_calls"); }

constexpr ktest::Case kCases[] = {
    {"demand_paging", demand_paging},
    {"forwarded_trap_then_space_unload", forwarded_trap},
    {"thread_writeback", thread_writeback},
    {"garbage_calls", garbage_calls},
};

}  // namespace

void ck::kernel_main() { ktest::run("application_kernels", kCases); }
