// The argument checks of the emulator's system calls that need nothing but the arguments
// (and, for open, what the path named): Linux's errors in Linux's order. The calls in
// sys_*.cpp make these checks first and change nothing when one fails. Pure; host-tested.
#pragma once

#include <stdint.h>

#include "file_tree.h"

namespace unixemu {

// [start, start + bytes) rounded to pages, in user memory (below the stack's top) and not
// wrapping: true and its end in *end.
bool user_range(uint32_t start, uint32_t bytes, uint32_t* end);

// mmap2's: 0 and the length in pages' bytes, or -EINVAL (length 0, unknown protection
// bits or mapping type, MAP_FIXED at an unaligned address), -ENOMEM (length rounds to 0).
int32_t check_mmap(uint32_t addr, uint32_t length, uint32_t prot, uint32_t flags, uint32_t* bytes);
// munmap's: 0 and the range's end, or -EINVAL (unaligned, empty, outside user memory).
int32_t check_munmap(uint32_t addr, uint32_t length, uint32_t* end);
// mprotect's: 0 and the end (end == addr: nothing to do), or -EINVAL (unaligned,
// unknown bits), -ENOMEM (outside user memory).
int32_t check_mprotect(uint32_t addr, uint32_t length, uint32_t prot, uint32_t* end);
// madvise's: 0 and the end, or -EINVAL (unaligned, outside user memory, unknown advice).
int32_t check_madvise(uint32_t addr, uint32_t length, uint32_t advice, uint32_t* end);
// mremap's: 0 and the old and new lengths in pages' bytes, or -EINVAL (unaligned old
// address, unknown flags, MREMAP_FIXED without MREMAP_MAYMOVE, MREMAP_DONTUNMAP (not
// offered), a length of 0).
int32_t check_mremap(uint32_t old_addr, uint32_t old_length, uint32_t new_length, uint32_t flags, uint32_t* old_bytes,
                     uint32_t* new_bytes);

// lseek's arithmetic: where an open file's offset goes (`size`: its file's for
// SEEK_END): 0 and *out, or -EINVAL (unknown whence, a negative result).
int32_t seek_target(uint64_t offset_now, uint64_t size, int64_t offset, uint32_t whence, uint64_t* out);

// open's decision once the path was looked up (`found`: 0 or the lookup's -errno, `type`
// what it named): 0 to open it (or, for a missing file with O_CREAT, to create it), or
// -errno (EEXIST, ENOTDIR, ELOOP, EISDIR; EOPNOTSUPP for O_TMPFILE). `parent_found` is the lookup of the
// path's directory, asked only when creating a missing file.
int32_t open_decision(int32_t found, NodeType type, uint32_t flags, int32_t parent_found);

// rt_sigaction's: signal 1..64, not SIGKILL or SIGSTOP when an action is given, a sigset
// of 8 bytes: 0 or -EINVAL.
int32_t check_sigaction(uint32_t signal, bool new_action, uint32_t sigset_bytes);
// rt_sigprocmask's: 0 or -EINVAL (a sigset of other than 8 bytes, an unknown how with a set).
int32_t check_sigprocmask(uint32_t how, bool new_set, uint32_t sigset_bytes);

}  // namespace unixemu
