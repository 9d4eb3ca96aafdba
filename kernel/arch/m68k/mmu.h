// 68040 MMU control (MC68040 UM §3): the supervisor's tables over RAM (page 0 and the
// stack guard left invalid), transparent translation for code and I/O, the
// table pool behind an uncached supervisor window, URP switches, ATC flushes and the
// cache operations the copy-back data cache requires. Implements the memory part of
// the arch interface (arch/arch.h).
#pragma once

#include "arch/m68k/page_table.h"
#include "lib/types.h"

namespace ck::m68k {

// Supervisor virtual address of the uncached window onto the page-table pool. The
// table walker reads and writes (U, M bits) physical memory directly; keeping the
// kernel's view of the tables out of the copy-back cache keeps the two coherent.
inline constexpr u32 kTableWindow = 0xf0000000;

TablePool& table_pool();
// Writes back and invalidates the data-cache lines covering [base, base + bytes), so
// that memory holds the CPU's data and later reads come from memory (device DMA).
void push_data_cache(PhysAddr base, u32 bytes);
// The translation of `va` in the address space now active for user mode, if any.
bool lookup_current(VirtAddr va, Translation* out);
// A user write to `va` was refused: true when that was only the kernel's modified-bit
// tracking (now recorded; retry the access), false for a real protection fault.
bool record_write_current(VirtAddr va);
// Writes `byte` at user address `va` of the current address space on the thread's
// behalf, as a user write would (permission checked, modified bit set). False when
// user mode could not write there.
bool store_user_byte(VirtAddr va, u8 byte);

}  // namespace ck::m68k
