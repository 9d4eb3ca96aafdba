// Register preservation across forced context switches (issue 3): two threads in two
// address spaces compare every integer and FP register, the USP and a round count with
// the values they must hold, while the tick (tick_hz=10000) switches between them at
// arbitrary instructions, at least 10,000 times.
#include "arch/arch.h"
#include "boot.h"
#include "clock.h"
#include "ktest.h"
#include "log.h"
#include "user_space.h"

namespace {

using namespace ck;
using namespace utest;

constexpr u64 kSwitches = 10'000;

// Offsets in the torture page, in longwords (user_layout.h).
constexpr u32 kD1 = 0, kA0 = 7, kSp = 14, kFp = 16;

// Fills `page` and `thread` with the same values, all different per thread and register.
void prepare(Thread& thread, AddressSpace& space, PhysAddr page, u32 seed) {
  start(thread, space, user_register_torture);
  u32* w = words(page);
  for (u32 i = 0; i < 7; ++i) {
    thread.own.d[i + 1] = w[kD1 + i] = seed ^ (0x01010101u * (i + 1));
    thread.own.a[i] = w[kA0 + i] = seed ^ (0x10101010u * (i + 1)) ^ 0x80000000u;
  }
  thread.own.usp = w[kSp] = kStackTop.value() - 4 * (seed & 0xff);
  // FP0-FP7 as extended-precision numbers: sign/exponent word, zero pad, 64-bit mantissa
  // with the explicit integer bit set.
  for (u32 i = 0; i < 8; ++i) {
    u32* fp = w + kFp + 3 * i;
    fp[0] = (0x3fff0000u + ((seed + i) & 0xff) * 0x10000u);
    fp[1] = 0x80000000u | (seed * (i + 3));
    fp[2] = seed ^ (0x9e3779b9u * (i + 1));
  }
}

void registers_survive_forced_switches(ktest::Context& t) {
  AddressSpace space_a = make_space(), space_b = make_space();
  const PhysAddr page_a = take_page(), page_b = take_page();
  t.check(arch::map_page(space_a.tables, kDataPage, page_a, true) == arch::MapStatus::Ok, "map A");
  t.check(arch::map_page(space_b.tables, kDataPage, page_b, true) == arch::MapStatus::Ok, "map B");
  Thread a, b;
  a.id = 1;
  b.id = 2;
  prepare(a, space_a, page_a, 0x13572468);
  prepare(b, space_b, page_b, 0x8642ace1);

  RunQueue queue;
  queue.push_back(a);
  queue.push_back(b);
  Recorder recorder;
  recorder.tick_limit = kSwitches + 10;
  const RunStatistics stats = run_threads(queue, recorder);
  arch::save_user_context(a.own);
  arch::save_user_context(b.own);

  t.check_eq(recorder.failed_checks, 0u, "a register differed from its expected value");
  t.check_eq(recorder.faults, 0u, "faults");
  t.check(stats.switches >= kSwitches, "at least 10,000 context switches");
  const u32 rounds_a = words(page_a)[kSp + 1], rounds_b = words(page_b)[kSp + 1];
  t.check(rounds_a > kSwitches && rounds_b > kSwitches, "both threads ran many rounds");
  t.check_eq(a.own.d[0], rounds_a, "A's D0 matches its round count");
  t.check_eq(b.own.d[0], rounds_b, "B's D0 matches its round count");
  klog::info("context_switch: {} switches, {} entries, rounds {} and {}", stats.switches, stats.entries, rounds_a,
             rounds_b);
  destroy_space(space_a);
  destroy_space(space_b);
}

constexpr ktest::Case kCases[] = {
    {"registers_survive_forced_switches", registers_survive_forced_switches},
};

}  // namespace

void ck::kernel_main() { ktest::run("context_switch", kCases); }
