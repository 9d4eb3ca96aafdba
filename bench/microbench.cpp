// Microbenchmarks of the supervisor core, in instructions (paper §5.3; issue 4 adds the
// Cache Kernel operations of Table 2). Run by `cargo xtask bench` under `-icount
// shift=0,sleep=off -rtc clock=vm`: the RTC then counts executed instructions, so each
// figure is (instructions for N rounds with the operation - N rounds of a NOP) / N.
#include "arch/arch.h"
#include "boot.h"
#include "log.h"
#include "user_space.h"

namespace {

using namespace ck;
using namespace utest;

constexpr u32 kRounds = 20000;
constexpr u32 kPages = 512;

// Resumes TRAP #1, yields on TRAP #2, ends on TRAP #15, maps `page` on mapping faults.
class BenchEvents final : public ThreadEvents {
 public:
  Disposition trap(Thread&, u8 number) override {
    if (number == 15) return Disposition::Remove;
    return number == 2 ? Disposition::Yield : Disposition::Resume;
  }
  Disposition fault(Thread& thread, const Fault& f) override {
    if (f.kind != FaultKind::Mapping || page.value() == 0) return Disposition::Remove;
    const VirtAddr va(f.address.value() & ~(arch::kPageBytes - 1));
    return arch::map_page(thread.space->tables, va, page, false) == arch::MapStatus::Ok ? Disposition::Resume
                                                                                        : Disposition::Remove;
  }
  PhysAddr page;
};

// Instructions to run `threads` threads at `entry` with D2 = rounds, A0 = a0.
u64 measure(AddressSpace* spaces, u32 threads, void (*entry)(), u32 rounds, u32 a0, BenchEvents& events) {
  Thread t[2];
  RunQueue queue;
  for (u32 i = 0; i < threads; ++i) {
    start(t[i], spaces[i], entry, a0);
    t[i].own.d[2] = rounds;
    queue.push_back(t[i]);
  }
  const u64 begin = arch::clock_ns();
  run_threads(queue, events);
  const u64 end = arch::clock_ns();
  for (u32 i = 0; i < threads; ++i) arch::save_user_context(t[i].own);
  return end - begin;
}

void report(StrView name, u64 instructions, u32 rounds, StrView what) {
  format(arch::console(), "KBENCH {} {} {}\n", name, instructions / rounds, what);
}

void run_benchmarks() {
  BenchEvents events;
  AddressSpace spaces[2] = {make_space(), make_space()};
  const u64 nop = measure(spaces, 1, user_nop_loop, kRounds, 0, events);
  const u64 trap = measure(spaces, 1, user_trap_loop, kRounds, 0, events);
  report("core_trap_round_trip", trap - nop, kRounds, "TRAP to the kernel's handler and back to the thread");

  // Two threads in two address spaces yielding to each other: 2 * rounds switches.
  const u64 yield = measure(spaces, 2, user_yield_loop, kRounds, 0, events);
  report("core_yield_switch", yield - 2 * nop, 2 * kRounds, "TRAP, switch to the other address space's thread, RTE");

  // A page-fault round trip: read one word per page over fresh pages, the handler maps
  // each; the baseline reads the same pages already mapped.
  events.page = take_page();
  const VirtAddr base(0x10000000);
  const u64 faulting = measure(spaces, 1, user_touch_loop, kPages, base.value(), events);
  const u64 mapped = measure(spaces, 1, user_touch_loop, kPages, base.value(), events);
  report("core_page_fault_round_trip", faulting - mapped, kPages, "fault, kernel maps the page, instruction restarts");

  // The map and unmap operations by themselves, on an address space not running.
  const PhysAddr tables = spaces[1].tables;
  const u64 map_begin = arch::clock_ns();
  for (u32 i = 0; i < kPages; ++i)
    arch::map_page(tables, VirtAddr(0x20000000 + i * arch::kPageBytes), events.page, true);
  const u64 map_end = arch::clock_ns();
  for (u32 i = 0; i < kPages; ++i) arch::unmap_page(tables, VirtAddr(0x20000000 + i * arch::kPageBytes), nullptr);
  const u64 unmap_end = arch::clock_ns();
  report("map_page", map_end - map_begin, kPages, "arch::map_page into an existing page table (amortized)");
  report("unmap_page", unmap_end - map_end, kPages, "arch::unmap_page, tables freed when empty (amortized)");
  destroy_space(spaces[0]);
  destroy_space(spaces[1]);
}

}  // namespace

void ck::kernel_main() {
  format(arch::console(), "KBENCH BEGIN microbench\n");
  run_benchmarks();
  format(arch::console(), "KBENCH END\n");
  arch::power_off();
}
