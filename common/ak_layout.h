// The address-space layout of an application kernel started from an ELF image (paper
// §3): the Cache Kernel lays out the first kernel so, the SRM every other; libak's
// start-up finds it all through ck_boot_info. Pure constants, shared by both.
#pragma once

#include "ck/abi.h"
#include "lib/types.h"

namespace ck::ak_layout {

inline constexpr u32 kPage = 4096;
inline constexpr u32 kStackTop = 0x70000000;  // the first stack grows down from here
inline constexpr u32 kStackBytes = 16 * 1024;
inline constexpr u32 kBootInfo = 0x70000000;           // one page: ck_boot_info, then the arguments
inline constexpr u32 kExceptionStackTop = 0x70100000;  // the first thread's exception stack
inline constexpr u32 kExceptionStackBytes = 8 * 1024;
inline constexpr u32 kRing = 0x70200000;  // the writeback ring, up to 64 KiB
inline constexpr u32 kFirstKernelRingBytes = 4 * 1024;
inline constexpr u32 kRingBytes = 16 * 1024;   // the SRM's kernels'
inline constexpr u32 kPromTable = 0x68000000;  // the first kernel's read-only copy of the PROM table
// A paged kernel's memory and PROM table, mapped by the SRM as it touches them
// (ck_boot_info::paged_memory, paged_prom): 256 MiB for each at most.
inline constexpr u32 kPagedMemory = 0x40000000;
inline constexpr u32 kPagedProm = 0x50000000;
inline constexpr u32 kPagedBytesMax = 0x10000000;
// The image lies below all of these.
inline constexpr u32 kImageLimit = kPromTable;
inline constexpr u32 kNotExited = 0xffffffff;  // ck_boot_info::exit_code until ak_main returns

// The boot-info fields this layout fixes (the starter fills in the rest).
inline void describe(ck_boot_info* info, u32 ring_bytes) {
  info->ring = kRing;
  info->ring_bytes = ring_bytes;
  info->stack_bottom = kStackTop - kStackBytes;
  info->stack_top = kStackTop;
  info->exception_stack_bottom = kExceptionStackTop - kExceptionStackBytes;
  info->exception_stack_top = kExceptionStackTop;
  info->arguments = kBootInfo + sizeof(ck_boot_info);
  info->exit_code = kNotExited;
}

}  // namespace ck::ak_layout
