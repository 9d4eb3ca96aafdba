// A process's memory as its emulator reaches it (paper §2.1: the application kernel
// resolves its processes' page faults from its own records and loads the mappings): a
// page is made resident on first touch, from the process's own fault or from a system
// call's copy in or out; copies check the region's protection as Linux's
// copy_from_user/copy_to_user do (EFAULT).
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

enum class Touch : uint8_t { Read, Write, Execute };

// The frame holding page `va` of `p`, made resident if its region allows `touch`: 0 and
// the frame in *frame, -EFAULT when no region allows it (or a file mapping's page lies
// wholly beyond its file: *sigbus set), -ENOMEM when no frame is left. *region (when
// asked) is the region that allowed it.
int32_t resident_frame(Process& p, uint32_t va, Touch touch, uint32_t* frame, bool* sigbus = nullptr,
                       const Region** region = nullptr);

// Whether page `frame` of region `r` may be mapped writable now: its region allows writes
// and the frame is the page's alone (or the region is MAP_SHARED); a private frame
// shared since a fork is mapped read-only until written (copy-on-write).
bool writable_now(const Region& r, uint32_t frame);

// Copies between a process's memory and the emulator's: 0 or -EFAULT (-ENOMEM).
int32_t copy_in(Process& p, uint32_t va, void* to, uint32_t bytes);
int32_t copy_out(Process& p, uint32_t va, const void* from, uint32_t bytes);
// Compare-and-swap of the aligned word at `va` (Linux's futex_atomic_cmpxchg_inatomic):
// atomic against the process's own threads, which may run between two of the emulator's
// steps. 0, with the word's value before in *old (`desired` is there now if *old is
// `expected`); -EINVAL misaligned; -EFAULT (-ENOMEM) as copy_out.
int32_t cas_user_word(Process& p, uint32_t va, uint32_t expected, uint32_t desired, uint32_t* old);
// A NUL-terminated string of at most `capacity` bytes with its NUL: its length without
// the NUL, or -EFAULT, or -ENAMETOOLONG when no NUL comes within `capacity`.
int32_t copy_string_in(Process& p, uint32_t va, char* to, uint32_t capacity);

// Unloads the Cache Kernel's mapping of page `va` of `p`'s space if one may be there (its
// page map's load bits say so) and records it gone.
void unload_page(Process& p, uint32_t va);
// Forgets the pages of [start, end): the Cache Kernel's mappings unloaded, frames freed.
void drop_pages(Process& p, uint32_t start, uint32_t end);
// Unloads the Cache Kernel's mappings of [start, end) (their protection changed; they
// come back on the next touch with the new one).
void unload_mappings(Process& p, uint32_t start, uint32_t end);

}  // namespace unixemu
