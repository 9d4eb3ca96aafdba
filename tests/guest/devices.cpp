// Devices through memory-based messaging (issue 6, paper §2.2): the test application
// kernel ak/ak_msg.cpp reads a line typed on the console through the receive page and
// echoes it through the transmit page (the harness checks the console shows the echo),
// and counts the clock page's timer signals. Small caches.
#include "boot.h"
#include "first_kernel_test.h"

namespace {

void console_echo(ktest::Context& t) { ck::run_first_kernel_scenario(t, "console_echo"); }
void clock(ktest::Context& t) { ck::run_first_kernel_scenario(t, "clock"); }

constexpr ktest::Case kCases[] = {
    {"a_typed_line_is_echoed_through_the_console_pages", console_echo},
    {"the_clock_page_signals_every_tick", clock},
};

}  // namespace

void ck::kernel_main() { ktest::run("devices", kCases); }
