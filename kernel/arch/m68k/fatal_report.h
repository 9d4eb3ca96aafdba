// The readable fatal report printed when the kernel cannot go on: the exception, the
// decoded frame, every register, and a stack dump. Pure code, host-tested.
#pragma once

#include "arch/m68k/exception_frame.h"
#include "lib/format.h"

namespace ck::m68k {

// Copy of the words on the interrupted stack (the caller reads memory, this only prints).
struct StackSnapshot {
  u32 address = 0;
  const u8* bytes = nullptr;
  usize length = 0;
};

// Kernel memory an access error is named for: page 0 (null pointers) is always one.
struct KernelRegions {
  u32 guard_start = 0, guard_end = 0;  // the boot stack's guard page
};

void write_registers(Sink& out, const SavedRegisters& regs, u32 ssp);
void write_stack(Sink& out, const StackSnapshot& stack);

// `frame` is the hardware frame as bytes, `frame_address` where it sits in memory.
void write_exception_report(Sink& out, const SavedRegisters& regs, const u8* frame, u32 frame_address,
                            const StackSnapshot& stack, const KernelRegions& regions = {});

}  // namespace ck::m68k
