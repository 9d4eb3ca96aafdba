// The kernel reading and writing an address space's user memory through its page
// tables (paper §2.1: call arguments, exception frames), with user mode's rights: a
// copy happens whole or not at all, with one table walk per page. Portable (arch::lookup_page, physical_memory).
#pragma once

#include "lib/types.h"

namespace ck {

// The most one copy moves: call arguments and exception frames are far smaller.
inline constexpr u32 kMaxUserCopyBytes = 4096;

// False, copying nothing, unless every byte is in a page user mode may read.
bool copy_from_user(PhysAddr space, VirtAddr va, void* to, u32 bytes);
// Where [va, va + bytes) can be read in place, without a copy: a pointer to it when it
// is longword-aligned and lies in one page user mode may read; else nullptr (the caller
// copies, with copy_from_user). The bytes stay the user's: the caller reads them only
// while nothing it does can write them (no writeback into a ring, no copy to user).
const void* user_view(PhysAddr space, VirtAddr va, u32 bytes);
// False, copying nothing, unless every byte is in a page user mode may write; the
// pages written are marked used and modified.
bool copy_to_user(PhysAddr space, VirtAddr va, const void* from, u32 bytes);

}  // namespace ck
