// Starting the first kernel at boot (paper §2.4, §3): the Cache Kernel creates its
// kernel object locked with all the memory it is given, loads its ELF image into that
// memory, and starts its first thread in a locked home address space. Issue 7's SRM is
// started this way; guest tests start their test application kernels the same way.
#pragma once

#include "devices.h"
#include "lib/format.h"
#include "object_caches.h"

namespace ck {

// The first kernel's address-space layout around its image.
namespace first_kernel {
inline constexpr u32 kStackTop = 0x70000000;  // first stack grows down from here
inline constexpr u32 kStackBytes = 16 * KiB;
inline constexpr u32 kBootInfo = 0x70000000;           // one page: ck_boot_info, then the arguments
inline constexpr u32 kExceptionStackTop = 0x70100000;  // the first thread's exception stack
inline constexpr u32 kExceptionStackBytes = 8 * KiB;
inline constexpr u32 kRing = 0x70200000;  // the writeback ring
inline constexpr u32 kRingBytes = 4 * KiB;
}  // namespace first_kernel

struct StartedKernel {
  u32 kernel = kNoSlot;
  PhysAddr boot_info;  // where ck_boot_info is, physically (exit_code is read there)
  PhysAddr memory_used_end;
  DevicePages devices;  // in its memory: the console and clock pages (ck_boot_info)
};

// Starts the image in `memory` (page-group aligned). False, with the reason on `log`,
// when the image is not a libak application kernel or does not fit.
bool start_first_kernel(ObjectCaches& caches, const u8* elf, u32 elf_bytes, PhysRange memory, StrView arguments,
                        StartedKernel* out, Sink& log);

}  // namespace ck
