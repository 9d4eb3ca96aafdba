// Scheduling and processor resource control (issue 5, paper §2.3, §4.3): each case
// starts the test application kernel ak/ak_sched.cpp as the first kernel with one
// scenario and runs the Cache Kernel until its threads are gone; the verdict is the
// number of failed checks it counted. Small caches (4 kernels, 4 spaces, 8 threads, 64
// mappings), so that loads displace threads; run under -icount at 10,000 ticks a second.
#include "boot.h"
#include "first_kernel_test.h"

namespace {

void round_robin(ktest::Context& t) { ck::run_first_kernel_scenario(t, "round_robin"); }
void cpu_share(ktest::Context& t) { ck::run_first_kernel_scenario(t, "cpu_share"); }
void locked_scheduler(ktest::Context& t) { ck::run_first_kernel_scenario(t, "locked_scheduler"); }
void unload_blocked(ktest::Context& t) { ck::run_first_kernel_scenario(t, "unload_blocked"); }
void priority_limits(ktest::Context& t) { ck::run_first_kernel_scenario(t, "priority_limits"); }

constexpr ktest::Case kCases[] = {
    {"three_threads_share_one_priority_and_a_higher_one_goes_first", round_robin},
    {"a_kernel_converges_to_its_share_and_cannot_delay_real_time", cpu_share},
    {"a_locked_scheduler_thread_keeps_running_under_load", locked_scheduler},
    {"a_blocked_thread_is_unloaded_and_reloaded_later", unload_blocked},
    {"priorities_above_the_maximum_are_refused", priority_limits},
};

}  // namespace

void ck::kernel_main() { ktest::run("scheduling", kCases); }
