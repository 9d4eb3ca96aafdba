// Scaffolding for guest tests that run code in user mode: address spaces with the user
// programs (user_programs.S) mapped, pages from boot memory, threads, and a recorder of
// what the threads did. The object-cache layer will replace the hand-made objects.
#pragma once

#include "fault.h"
#include "ktest.h"
#include "run_loop.h"
#include "thread.h"
#include "user_layout.h"

extern "C" {
// user_programs.S
void user_trap_then_exit();
void user_exit();
void user_load();
void user_store();
void user_move_to_sr();
void user_movec();
void user_stop();
void user_reset();
void user_illegal();
void user_stamp_loop();
void user_register_torture();
void user_nop_loop();
void user_trap_loop();
void user_yield_loop();
void user_touch_loop();
}

namespace utest {

using namespace ck;

inline constexpr VirtAddr kDataPage{USER_DATA_PAGE};
inline constexpr VirtAddr kStackTop{USER_STACK_TOP};
inline constexpr u8 kExitTrap = 15;
inline constexpr u8 kFailTrap = 14;

// A zeroed page of boot memory; ends the run if there is none.
PhysAddr take_page();
// The kernel's view of a physical page (all RAM is reachable at its physical address).
u32* words(PhysAddr page);

VirtAddr program(void (*entry)());

// An address space with the user programs mapped read-only at their link addresses and
// a writable stack page below kStackTop.
AddressSpace make_space();
void destroy_space(AddressSpace& space);

// `thread` to start at `entry` in `space`, with a0 and d1 as arguments.
void start(Thread& thread, AddressSpace& space, void (*entry)(), u32 a0 = 0, u32 d1 = 0);

// Handles threads' traps and faults the way the tests need: TRAP #15 ends a thread
// (its D0 is kept), TRAP #14 is a failed check, other traps are counted and resumed.
// A mapping fault is resolved by mapping `resolve_page` when one is set, else the
// thread is removed. Gives up after `tick_limit` ticks.
class Recorder final : public ThreadEvents {
 public:
  Disposition trap(Thread& thread, u8 number) override;
  Disposition fault(Thread& thread, const Fault& fault) override;
  bool tick(u64 ticks) override;

  u32 traps = 0;
  u8 last_trap = 0;
  u32 exits = 0;
  u32 exit_value = 0;
  u32 failed_checks = 0;
  u32 faults = 0;
  Fault last_fault;
  PhysAddr resolve_page;  // mapped at the faulting page on a mapping fault, if set
  bool resolve_writable = true;
  u64 tick_limit = 1000;
  u64 ticks_seen = 0;
  bool gave_up = false;
};

// Runs one thread in its own queue to the end; returns the statistics.
RunStatistics run_one(Thread& thread, Recorder& recorder);

void check_fault(ktest::Context& t, const Recorder& r, FaultKind kind, VirtAddr address, Access access,
                 std::source_location where = std::source_location::current());

}  // namespace utest
