// Attacks on isolation (issue 15, paper §3, §4.3): each case starts the test application
// kernel ak/ak_attacks.cpp as the first kernel with one scenario; it sets up a second
// kernel as an attacker and checks that its own loads still succeed. Built with the
// paper-sized caches (65,536 mappings): the attacks fill them. Run under -icount: the
// scenarios time calls in instructions.
#include "boot.h"
#include "first_kernel_test.h"

namespace {

using ck::run_first_kernel_scenario;

void full_ring(ktest::Context& t) { run_first_kernel_scenario(t, "full_ring"); }
void table_quota(ktest::Context& t) { run_first_kernel_scenario(t, "table_quota"); }
void one_page(ktest::Context& t) { run_first_kernel_scenario(t, "one_page"); }
void flood_loads(ktest::Context& t) { run_first_kernel_scenario(t, "flood_loads"); }
void big_spaces(ktest::Context& t) { run_first_kernel_scenario(t, "big_spaces"); }

constexpr ktest::Case kCases[] = {
    {"a_full_ring_does_not_stall_another_kernels_loads", full_ring},
    {"a_kernel_exhausting_page_tables_stops_at_its_quota", table_quota},
    {"a_kernel_mapping_one_page_many_times_stalls_no_one", one_page},
    {"a_kernel_flooding_loads_does_not_fail_or_stall_another_kernels_loads", flood_loads},
    {"spaces_larger_than_a_ring_are_reclaimed_for_another_kernels_load", big_spaces},
};

}  // namespace

void ck::kernel_main() { ktest::run("attacks", kCases); }
