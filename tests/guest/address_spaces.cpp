// Address-space isolation under timer-driven switching (issue 3): two threads in two
// address spaces map the same virtual page to different physical pages and run
// interleaved by the tick; each must only ever see its own data.
#include "arch/arch.h"
#include "boot.h"
#include "clock.h"
#include "ktest.h"
#include "log.h"
#include "user_space.h"

namespace {

using namespace ck;
using namespace utest;

constexpr u32 kTagA = 0xaaaa0001;
constexpr u32 kTagB = 0xbbbb0002;
constexpr u64 kTicks = 40;

void same_virtual_page_different_data(ktest::Context& t) {
  AddressSpace space_a = make_space(), space_b = make_space();
  const PhysAddr page_a = take_page(), page_b = take_page();
  words(page_a)[0] = kTagA;
  words(page_b)[0] = kTagB;
  t.check(arch::map_page(space_a.tables, kDataPage, page_a, true) == arch::MapStatus::Ok, "map A");
  t.check(arch::map_page(space_b.tables, kDataPage, page_b, true) == arch::MapStatus::Ok, "map B");

  Thread a, b;
  a.id = 1;
  b.id = 2;
  start(a, space_a, user_stamp_loop, kDataPage.value(), kTagA);
  start(b, space_b, user_stamp_loop, kDataPage.value(), kTagB);
  RunQueue queue;
  queue.push_back(a);
  queue.push_back(b);
  Recorder recorder;
  recorder.tick_limit = kTicks;
  const RunStatistics stats = run_threads(queue, recorder);

  t.check(recorder.gave_up, "ran until the tick limit");
  t.check_eq(recorder.failed_checks, 0u, "a thread saw the other's data");
  t.check_eq(recorder.faults, 0u, "faults");
  t.check_eq(words(page_a)[0], kTagA, "page A holds A's tag");
  t.check_eq(words(page_b)[0], kTagB, "page B holds B's tag");
  t.check(words(page_a)[1] > 1000, "thread A made progress");
  t.check(words(page_b)[1] > 1000, "thread B made progress");
  // One switch per tick with two runnable threads.
  t.check(stats.switches + 1 >= kTicks, "the tick interleaved the threads");
  t.check(stats.interrupts >= kTicks, "ticks interrupted user mode");
  arch::save_user_context(a.own);
  arch::save_user_context(b.own);
  destroy_space(space_a);
  destroy_space(space_b);
}

void destroying_a_space_returns_its_tables(ktest::Context& t) {
  const u32 before = arch::page_table_bytes_free();
  AddressSpace space = make_space();
  for (u32 i = 0; i < 64; ++i) arch::map_page(space.tables, VirtAddr(0x10000000 + i * 0x40000), take_page(), true);
  t.check(arch::page_table_bytes_free() < before, "mappings used tables");
  destroy_space(space);
  t.check_eq(arch::page_table_bytes_free(), before, "every table returned");
}

constexpr ktest::Case kCases[] = {
    {"same_virtual_page_different_data", same_virtual_page_different_data},
    {"destroying_a_space_returns_its_tables", destroying_a_space_returns_its_tables},
};

}  // namespace

void ck::kernel_main() { ktest::run("address_spaces", kCases); }
