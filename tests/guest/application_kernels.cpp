// Application kernels on the Cache Kernel (issue 4): each case starts the test
// application kernel ak/ak_tests.cpp as the first kernel with one scenario, runs the
// Cache Kernel until its threads are gone, and reads its verdict (the number of failed
// checks it counted; its messages are on the console). Built with the small caches
// (4 kernels, 4 spaces, 8 threads, 64 mappings) so that the scenarios force replacement.
#include "boot.h"
#include "first_kernel_test.h"

namespace {

using ck::run_first_kernel_scenario;

void demand_paging(ktest::Context& t) { run_first_kernel_scenario(t, "demand_paging"); }
void forwarded_trap(ktest::Context& t) { run_first_kernel_scenario(t, "forwarded_trap"); }
void thread_writeback(ktest::Context& t) { run_first_kernel_scenario(t, "thread_writeback"); }
void garbage_calls(ktest::Context& t) { run_first_kernel_scenario(t, "garbage_calls"); }
void pending_writes(ktest::Context& t) { run_first_kernel_scenario(t, "pending_writes"); }

constexpr ktest::Case kCases[] = {
    {"demand_paging", demand_paging},
    {"forwarded_trap_then_space_unload", forwarded_trap},
    {"thread_writeback", thread_writeback},
    {"garbage_calls", garbage_calls},
    {"pending_writes_done_on_reload_with_the_threads_rights", pending_writes},
};

}  // namespace

void ck::kernel_main() { ktest::run("application_kernels", kCases); }
