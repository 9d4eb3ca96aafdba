// The fatal report (see fatal_report.h).
#include "arch/m68k/fatal_report.h"

#include "lib/endian.h"

namespace ck::m68k {

namespace {

constexpr u32 kPageBytes = 4096;
constexpr u8 kSupervisorData = 5;  // SSW TM field

// What a supervisor data access faulted on, when the kernel's layout says.
void write_supervisor_fault_cause(Sink& out, const ExceptionFrame& f, const KernelRegions& regions) {
  if (f.fault_address < kPageBytes) {
    format(out, "  supervisor access to page 0 at {:#010x} (a null pointer)\n", f.fault_address);
  } else if (f.fault_address >= regions.guard_start && f.fault_address < regions.guard_end) {
    format(out, "  supervisor access to the kernel stack's guard page at {:#010x} (stack overflow)\n", f.fault_address);
  }
}

void write_access_error(Sink& out, const ExceptionFrame& f, const KernelRegions& regions) {
  const AccessStatus s = decode_access_status(f.ssw);
  format(out, "  {} of {} byte(s) at {:#010x}: {} {}, {}{}\n", s.write ? "write" : "read", s.size_bytes(),
         f.fault_address, s.user ? "user" : "supervisor", s.instruction ? "code" : "data",
         s.atc_fault ? "MMU (ATC) fault" : "bus error", s.misaligned ? ", misaligned" : "");
  format(out, "  fault address {:#010x}  effective address {:#010x}  SSW {:#06x}\n", f.fault_address,
         f.effective_address, f.ssw);
  if (s.transfer_modifier == kSupervisorData) write_supervisor_fault_cause(out, f, regions);
}

}  // namespace

void write_registers(Sink& out, const SavedRegisters& regs, u32 ssp) {
  for (u32 row = 0; row < 2; ++row) {
    format(out, " ");
    for (u32 i = row * 4; i < row * 4 + 4; ++i) format(out, " D{} {:08x}", i, regs.d[i]);
    format(out, "\n");
  }
  format(out, " ");
  for (u32 i = 0; i < 4; ++i) format(out, " A{} {:08x}", i, regs.a[i]);
  format(out, "\n ");
  for (u32 i = 4; i < 7; ++i) format(out, " A{} {:08x}", i, regs.a[i]);
  format(out, " SP {:08x}\n  USP {:08x}\n", ssp, regs.usp);
}

void write_stack(Sink& out, const StackSnapshot& stack) {
  format(out, "  stack at {:#010x}:\n", stack.address);
  for (usize offset = 0; offset + 4 <= stack.length; offset += 16) {
    format(out, "    {:08x}:", stack.address + offset);
    for (usize i = offset; i < offset + 16 && i + 4 <= stack.length; i += 4)
      format(out, " {:08x}", load_be32(stack.bytes + i));
    format(out, "\n");
  }
}

void write_exception_report(Sink& out, const SavedRegisters& regs, const u8* frame, u32 frame_address,
                            const StackSnapshot& stack, const KernelRegions& regions) {
  const ExceptionFrame f = decode_frame(frame);
  format(out, "\n*** FATAL: {} (vector {}) in {} mode\n", vector_name(f.vector), f.vector,
         f.from_user() ? "user" : "supervisor");
  format(out, "  PC {:#010x}  SR {:#06x}  format ${:x}", f.pc, f.sr, f.format);
  if (f.size_bytes == 0) {
    format(out, " (not a 68040 frame format)\n");
  } else {
    format(out, " ({}-byte frame at {:#010x})\n", f.size_bytes, frame_address);
  }
  if (f.is_access_error) write_access_error(out, f, regions);
  if (f.has_address) format(out, "  instruction/effective address {:#010x}\n", f.address);

  // A supervisor-mode exception leaves SP just above the frame; a user one leaves SSP
  // at the top of the kernel stack and the interrupted SP in USP.
  write_registers(out, regs, frame_address + f.size_bytes);
  write_stack(out, stack);
}

}  // namespace ck::m68k
