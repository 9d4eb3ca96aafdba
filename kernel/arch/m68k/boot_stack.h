// The boot stack, the kernel's only stack (linker/virt.ld): its bounds, the pattern its
// unused part holds, and the report line of its deepest use (kernel_stack.h).
#pragma once

#include "lib/format.h"

namespace ck::m68k {

// Fills the stack below the caller's frame, and the whole emergency stack, with
// kStackPattern. Called first thing at boot, before the stack has grown.
void fill_boot_stack();

// "kernel stack: high-water N of 16384 bytes".
void write_stack_high_water(Sink& out);
// "emergency stack: high-water N of 2048 bytes" (the stack-overflow report's own use).
void write_emergency_stack_high_water(Sink& out);

}  // namespace ck::m68k
