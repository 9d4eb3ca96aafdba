// Guest-test scaffolding for user-mode code (user_space.h).
#include "user_space.h"

#include "boot.h"
#include "clock.h"
#include "log.h"
#include "panic.h"

extern "C" char __user_start[], __user_end[];

namespace utest {

PhysAddr take_page() {
  const PhysRange r = boot_memory().take(arch::kPageBytes, arch::kPageBytes);
  if (r.size == 0) panic("test ran out of boot memory");
  u32* w = words(r.base);
  for (u32 i = 0; i < arch::kPageBytes / 4; ++i) w[i] = 0;
  return r.base;
}

u32* words(PhysAddr page) { return reinterpret_cast<u32*>(static_cast<usize>(page.value())); }

VirtAddr program(void (*entry)()) { return VirtAddr(static_cast<u32>(reinterpret_cast<usize>(entry))); }

AddressSpace make_space() {
  AddressSpace space{arch::create_page_tables()};
  if (space.tables.value() == 0) panic("out of page tables");
  const u32 start = static_cast<u32>(reinterpret_cast<usize>(__user_start));
  const u32 end = static_cast<u32>(reinterpret_cast<usize>(__user_end));
  for (u32 page = start; page < end; page += arch::kPageBytes) {
    if (arch::map_page(space.tables, VirtAddr(page), PhysAddr(page), false) != arch::MapStatus::Ok)
      panic("cannot map user program page {:#x}", page);
  }
  if (arch::map_page(space.tables, kStackTop + static_cast<u32>(-arch::kPageBytes), take_page(), true) !=
      arch::MapStatus::Ok)
    panic("cannot map the user stack");
  return space;
}

void destroy_space(AddressSpace& space) {
  arch::destroy_page_tables(space.tables);
  space.tables = PhysAddr();
}

void start(Thread& thread, AddressSpace& space, void (*entry)(), u32 a0, u32 d1) {
  thread.space = &space;
  arch::init_user_context(thread.own, program(entry), kStackTop);
  thread.own.a[0] = a0;
  thread.own.d[1] = d1;
}

Disposition Recorder::trap(Thread& thread, u8 number) {
  traps += 1;
  last_trap = number;
  if (number == kExitTrap) {
    exits += 1;
    exit_value = thread.own.d[0];
    return Disposition::Remove;
  }
  if (number == kFailTrap) {
    failed_checks += 1;
    klog::warn("thread {}: failed check at pc {:#x}", thread.id, thread.own.pc());
    return Disposition::Remove;
  }
  return Disposition::Resume;
}

Disposition Recorder::fault(Thread& thread, const Fault& f) {
  faults += 1;
  last_fault = f;
  klog::debug("thread {}: {} fault, {} of {} at {:#010x}, pc {:#010x}", thread.id, fault_kind_name(f.kind),
              access_name(f.access), f.size, f.address.value(), f.pc.value());
  if (f.kind == FaultKind::Mapping && resolve_page.value() != 0) {
    const VirtAddr page(f.address.value() & ~(arch::kPageBytes - 1));
    if (arch::map_page(thread.space->tables, page, resolve_page, resolve_writable) == arch::MapStatus::Ok)
      return Disposition::Resume;
  }
  return Disposition::Remove;
}

bool Recorder::tick(u64) {
  ticks_seen += 1;
  gave_up = ticks_seen >= tick_limit;
  return !gave_up;
}

RunStatistics run_one(Thread& thread, Recorder& recorder) {
  RunQueue queue;
  queue.push_back(thread);
  const RunStatistics stats = run_threads(queue, recorder);
  if (queue.contains(thread)) queue.remove(thread);
  arch::save_user_context(thread.own);
  return stats;
}

void check_fault(ktest::Context& t, const Recorder& r, FaultKind kind, VirtAddr address, Access access,
                 std::source_location where) {
  char what[96];
  t.check_eq(r.faults, 1u, "faults", where);
  t.check(r.last_fault.kind == kind,
          format_into(what, sizeof what, "fault kind {}, expected {}", fault_kind_name(r.last_fault.kind),
                      fault_kind_name(kind)),
          where);
  t.check_eq(r.last_fault.address.value(), address.value(), "fault address", where);
  t.check(
      r.last_fault.access == access,
      format_into(what, sizeof what, "access {}, expected {}", access_name(r.last_fault.access), access_name(access)),
      where);
}

}  // namespace utest
