// Memory-based messaging (issue 6, paper §2.2, §4.1, §4.2): each case starts the test
// application kernel ak/ak_msg.cpp as the first kernel with one scenario; it and a
// second kernel exchange messages through a page both map. Small caches.
#include "boot.h"
#include "first_kernel_test.h"

namespace {

void hundred_thousand(ktest::Context& t) { ck::run_first_kernel_scenario(t, "hundred_thousand"); }
void burst(ktest::Context& t) { ck::run_first_kernel_scenario(t, "burst"); }
void consistency(ktest::Context& t) { ck::run_first_kernel_scenario(t, "consistency"); }
void redirect(ktest::Context& t) { ck::run_first_kernel_scenario(t, "redirect"); }
void writeback_signal(ktest::Context& t) { ck::run_first_kernel_scenario(t, "writeback_signal"); }
void rpc(ktest::Context& t) { ck::run_first_kernel_scenario(t, "rpc"); }

constexpr ktest::Case kCases[] = {
    {"two_kernels_exchange_100000_messages", hundred_thousand},
    {"a_burst_queues_in_order_and_overflow_is_reported", burst},
    {"a_flushed_sender_faults_and_reloading_restores_delivery", consistency},
    {"signals_redirected_to_a_pager_reload_an_unloaded_receiver", redirect},
    {"the_writeback_ring_signals_its_writeback_thread", writeback_signal},
    {"rpc_stubs_over_two_channels", rpc},
};

}  // namespace

void ck::kernel_main() { ktest::run("messaging", kCases); }
