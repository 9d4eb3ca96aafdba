// The periodic tick (issue 3). Run under `-icount shift=0,sleep=off -rtc clock=vm`, so
// guest time is instruction counts and idle time passes at once; with tick_hz=250 on
// the command line, one guest second must bring 250 ticks.
#include "arch/arch.h"
#include "boot.h"
#include "clock.h"
#include "ktest.h"
#include "log.h"
#include "run_loop.h"

namespace {

using namespace ck;

constexpr u64 kSecond = 1'000'000'000;

void rate_comes_from_the_command_line(ktest::Context& t) { t.check_eq(clock::rate_hz(), 250u, "tick_hz"); }

void ticks_per_guest_second_match_the_rate(ktest::Context& t) {
  // Start on a tick boundary, then idle for exactly one second of guest time.
  arch::wait_for_interrupt();
  absorb_interrupt_events();
  const u64 start_ns = arch::clock_ns();
  const u64 start_ticks = clock::ticks();
  u32 wakeups = 0;
  while (arch::clock_ns() < start_ns + kSecond) {
    arch::wait_for_interrupt();
    absorb_interrupt_events();
    ++wakeups;
  }
  const u64 ticks = clock::ticks() - start_ticks;
  klog::info("timer: {} ticks and {} wake-ups in {} ns", ticks, wakeups, arch::clock_ns() - start_ns);
  t.check(ticks >= 249 && ticks <= 251, "250 +- 1 ticks in one guest second");
  t.check(wakeups >= 249, "the idle loop woke for each tick");
}

void clock_advances_with_guest_time(ktest::Context& t) {
  const u64 a = arch::clock_ns();
  volatile u32 sink = 0;
  for (u32 i = 0; i < 100000; ++i) sink = sink + i;
  const u64 b = arch::clock_ns();
  t.check(b > a, "the clock moves while the CPU works");
  t.check(b - a < kSecond, "and not absurdly far");
}

constexpr ktest::Case kCases[] = {
    {"rate_comes_from_the_command_line", rate_comes_from_the_command_line},
    {"ticks_per_guest_second_match_the_rate", ticks_per_guest_second_match_the_rate},
    {"clock_advances_with_guest_time", clock_advances_with_guest_time},
};

}  // namespace

void ck::kernel_main() { ktest::run("timer", kCases); }
