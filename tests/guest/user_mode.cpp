// User mode and the exception path (issue 3): traps enter the kernel with their number
// and resume; read and write faults on unmapped pages are reported precisely and the
// faulting instruction restarts once the page is mapped; protection faults; user code
// cannot reach kernel memory, the I/O page or supervisor instructions; the MMU's used
// and modified bits are readable.
#include "arch/arch.h"
#include "boot.h"
#include "ktest.h"
#include "lib/endian.h"
#include "user_space.h"

namespace {

using namespace ck;
using namespace utest;

// Something in kernel .data for user code to try to reach.
volatile u32 g_kernel_secret = 0x5ec2e7;

u32 address_of(const volatile void* p) { return static_cast<u32>(reinterpret_cast<usize>(p)); }

struct Run {
  AddressSpace space = make_space();
  Thread thread;
  Recorder recorder;
  RunStatistics stats;

  ~Run() { destroy_space(space); }
  void go(void (*entry)(), u32 a0 = 0, u32 d1 = 0) {
    start(thread, space, entry, a0, d1);
    stats = run_one(thread, recorder);
  }
};

void trap_enters_kernel_and_resumes(ktest::Context& t) {
  Run run;
  run.go(user_trap_then_exit);
  t.check_eq(run.recorder.traps, 2u, "traps (TRAP #5, then TRAP #15)");
  t.check_eq(run.recorder.exits, 1u, "exits");
  t.check_eq(run.recorder.exit_value, 0x5a5au, "D0 set after resuming from TRAP #5");
  t.check_eq(run.recorder.faults, 0u, "faults");
}

void read_fault_restarts_after_mapping(ktest::Context& t) {
  Run run;
  const PhysAddr page = take_page();
  words(page)[4] = 0xfeedf00d;
  run.recorder.resolve_page = page;
  const VirtAddr target(0x00500010);
  run.go(user_load, target.value());
  check_fault(t, run.recorder, FaultKind::Mapping, target, Access::Read);
  t.check_eq(run.recorder.last_fault.size, 4, "access size");
  t.check_eq(run.recorder.last_fault.pc.value(), program(user_load).value(), "faulting PC");
  t.check_eq(run.recorder.exits, 1u, "the thread finished");
  t.check_eq(run.recorder.exit_value, 0xfeedf00du, "value read by the restarted instruction");
}

void write_fault_restarts_after_mapping(ktest::Context& t) {
  Run run;
  const PhysAddr page = take_page();
  run.recorder.resolve_page = page;
  const VirtAddr target(0x00600008);
  run.go(user_store, target.value(), 0x12345678);
  check_fault(t, run.recorder, FaultKind::Mapping, target, Access::Write);
  t.check_eq(run.recorder.exits, 1u, "the thread finished");
  t.check_eq(words(page)[2], 0x12345678u, "value the restarted store left in the new page");
}

void write_to_read_only_page_is_a_protection_fault(ktest::Context& t) {
  Run run;
  const PhysAddr page = take_page();
  words(page)[0] = 0xabad1dea;
  t.check(arch::map_page(run.space.tables, kDataPage, page, false) == arch::MapStatus::Ok, "map read-only");
  run.go(user_store, kDataPage.value(), 0x11111111);
  check_fault(t, run.recorder, FaultKind::Protection, kDataPage, Access::Write);
  t.check_eq(words(page)[0], 0xabad1deau, "the page is unchanged");
  t.check_eq(run.recorder.exits, 0u, "the thread did not go on");
}

void protection_change_takes_effect(ktest::Context& t) {
  // Writable, then write-protected: the ATC must not keep the old permission.
  Run run;
  const PhysAddr page = take_page();
  t.check(arch::map_page(run.space.tables, kDataPage, page, true) == arch::MapStatus::Ok, "map");
  run.go(user_store, kDataPage.value(), 0x1);
  t.check_eq(run.recorder.exits, 1u, "first store finished");
  t.check(arch::protect_page(run.space.tables, kDataPage, false) == arch::MapStatus::Ok, "protect");
  run.go(user_store, kDataPage.value(), 0x2);
  check_fault(t, run.recorder, FaultKind::Protection, kDataPage, Access::Write);
  t.check_eq(words(page)[0], 0x1u, "second store did not land");
}

void unmapped_page_faults_again(ktest::Context& t) {
  Run run;
  const PhysAddr page = take_page();
  t.check(arch::map_page(run.space.tables, kDataPage, page, true) == arch::MapStatus::Ok, "map");
  run.go(user_load, kDataPage.value());
  t.check_eq(run.recorder.exits, 1u, "load while mapped finished");
  arch::PageState old;
  t.check(arch::unmap_page(run.space.tables, kDataPage, &old) == arch::MapStatus::Ok, "unmap");
  t.check_eq(old.page.value(), page.value(), "unmap reports the page");
  run.go(user_load, kDataPage.value());
  check_fault(t, run.recorder, FaultKind::Mapping, kDataPage, Access::Read);
}

void used_and_modified_bits_are_readable(ktest::Context& t) {
  Run run;
  const PhysAddr page = take_page();
  t.check(arch::map_page(run.space.tables, kDataPage, page, true) == arch::MapStatus::Ok, "map");
  arch::PageState s;
  t.check(arch::lookup_page(run.space.tables, kDataPage, &s), "lookup");
  t.check(!s.used && !s.modified, "fresh mapping: neither used nor modified");
  run.go(user_load, kDataPage.value());
  t.check(arch::lookup_page(run.space.tables, kDataPage, &s), "lookup after a read");
  t.check(s.used, "read sets used");
  t.check(!s.modified, "read leaves modified clear");
  run.go(user_store, kDataPage.value() + 8, 7);
  arch::PageState old;
  t.check(arch::unmap_page(run.space.tables, kDataPage, &old) == arch::MapStatus::Ok, "unmap");
  t.check(old.used && old.modified, "write sets modified; unmap reports both bits");
}

// A real 68040 reports a faulted write as a format $7 frame with the write pending in
// writeback buffer 2; RTE does not redo it (QEMU re-executes the instruction instead, so
// the frame is made here as the hardware would make it). The kernel must do the write
// before the thread runs on, and report a fault if the write itself cannot be done.
void set_pending_write_frame(Thread& thread, u32 address, u32 data) {
  u8* f = thread.own.frame;
  store_be16(f + 0, 0x0000);                      // SR: user mode
  store_be32(f + 2, program(user_exit).value());  // PC: what runs after the RTE
  store_be16(f + 6, 0x7008);                      // format $7, vector 2
  store_be16(f + 12, 0x0401);                     // SSW: ATC fault, write, long, user data
  store_be16(f + 16, 0x0081);                     // WB2S: valid, long, user data
  store_be32(f + 20, address);                    // fault address
  store_be32(f + 32, address);                    // WB2A
  store_be32(f + 36, data);                       // WB2D
}

void pending_68040_writes_are_completed(ktest::Context& t) {
  Run run;
  const PhysAddr page = take_page();
  t.check(arch::map_page(run.space.tables, kDataPage, page, true) == arch::MapStatus::Ok, "map");
  start(run.thread, run.space, user_exit);
  set_pending_write_frame(run.thread, kDataPage.value() + 8, 0xc0ffee11);
  run.stats = run_one(run.thread, run.recorder);
  t.check_eq(run.recorder.exits, 1u, "the thread ran on after the RTE");
  t.check_eq(words(page)[2], 0xc0ffee11u, "the pending write was done");
  arch::PageState s;
  t.check(arch::lookup_page(run.space.tables, kDataPage, &s) && s.modified, "and marked the page modified");
}

void pending_write_to_unmapped_page_faults_first(ktest::Context& t) {
  Run run;
  const PhysAddr page = take_page();
  run.recorder.resolve_page = page;
  start(run.thread, run.space, user_exit);
  const VirtAddr target(0x00700010);
  set_pending_write_frame(run.thread, target.value(), 0x0badcafe);
  run.stats = run_one(run.thread, run.recorder);
  check_fault(t, run.recorder, FaultKind::Mapping, target, Access::Write);
  t.check_eq(run.recorder.last_fault.pc.value(), program(user_exit).value(), "PC of the frame");
  t.check_eq(run.recorder.exits, 1u, "finished after the fault was resolved");
  t.check_eq(words(page)[4], 0x0badcafeu, "the write landed in the new page");
}

void kernel_memory_is_unreachable(ktest::Context& t) {
  const u32 secret = address_of(&g_kernel_secret);
  const u32 kernel_code = address_of(reinterpret_cast<const void*>(&ck::kernel_main));
  const u32 addresses[] = {secret, kernel_code, 0u};
  for (const u32 address : addresses) {
    Run run;
    run.go(user_load, address);
    check_fault(t, run.recorder, FaultKind::Mapping, VirtAddr(address), Access::Read);
    t.check_eq(run.recorder.exits, 0u, "the load did not complete");
  }
  Run run;
  run.go(user_store, secret, 0xbad);
  check_fault(t, run.recorder, FaultKind::Mapping, VirtAddr(secret), Access::Write);
  t.check_eq(g_kernel_secret, 0x5ec2e7u, "kernel data unchanged");
}

void io_region_is_unreachable(ktest::Context& t) {
  const u32 tty = 0xff008000u;
  Run reader;
  reader.go(user_load, tty + 4);  // BYTES_READY
  check_fault(t, reader.recorder, FaultKind::Mapping, VirtAddr(tty + 4), Access::Read);
  // virt-ctrl's command register: a successful write of 2 would power the machine off.
  Run writer;
  writer.go(user_store, 0xff009004u, 2);
  check_fault(t, writer.recorder, FaultKind::Mapping, VirtAddr(0xff009004u), Access::Write);
}

void program_pages_are_read_only(ktest::Context& t) {
  Run run;
  const u32 code = program(user_load).value();
  run.go(user_store, code, 0x4e714e71);
  check_fault(t, run.recorder, FaultKind::Protection, VirtAddr(code), Access::Write);
}

void privileged_instructions_are_caught(ktest::Context& t) {
  void (*const programs[])() = {user_move_to_sr, user_movec, user_stop, user_reset};
  for (void (*entry)() : programs) {
    Run run;
    run.go(entry);
    t.check_eq(run.recorder.faults, 1u, "faults");
    t.check(run.recorder.last_fault.kind == FaultKind::Privilege, "privilege violation");
    t.check_eq(run.recorder.last_fault.pc.value(), program(entry).value(), "PC of the privileged instruction");
    t.check_eq(run.recorder.failed_checks, 0u, "the instruction did not complete");
  }
}

void illegal_instruction_is_caught(ktest::Context& t) {
  Run run;
  run.go(user_illegal);
  t.check_eq(run.recorder.faults, 1u, "faults");
  t.check(run.recorder.last_fault.kind == FaultKind::IllegalInstruction, "illegal instruction");
  t.check_eq(run.recorder.last_fault.pc.value(), program(user_illegal).value(), "PC");
}

constexpr ktest::Case kCases[] = {
    {"trap_enters_kernel_and_resumes", trap_enters_kernel_and_resumes},
    {"read_fault_restarts_after_mapping", read_fault_restarts_after_mapping},
    {"write_fault_restarts_after_mapping", write_fault_restarts_after_mapping},
    {"write_to_read_only_page_is_a_protection_fault", write_to_read_only_page_is_a_protection_fault},
    {"protection_change_takes_effect", protection_change_takes_effect},
    {"unmapped_page_faults_again", unmapped_page_faults_again},
    {"used_and_modified_bits_are_readable", used_and_modified_bits_are_readable},
    {"pending_68040_writes_are_completed", pending_68040_writes_are_completed},
    {"pending_write_to_unmapped_page_faults_first", pending_write_to_unmapped_page_faults_first},
    {"kernel_memory_is_unreachable", kernel_memory_is_unreachable},
    {"io_region_is_unreachable", io_region_is_unreachable},
    {"program_pages_are_read_only", program_pages_are_read_only},
    {"privileged_instructions_are_caught", privileged_instructions_are_caught},
    {"illegal_instruction_is_caught", illegal_instruction_is_caught},
};

}  // namespace

void ck::kernel_main() { ktest::run("user_mode", kCases); }
