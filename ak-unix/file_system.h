// The emulator's file system put together (issue 18 item 5; paper §2): the file tree
// (file_tree.h) given its page frames (a budget of the emulator's memory), its clock,
// what its processes hold (working directories, file mappings, open directories being
// read), and /proc (proc_fs.h).
#pragma once

#include <stdint.h>

namespace unixemu {

// Files may hold at most this share of the emulator's frames (the rest stays for
// processes): a process filling the file system gets ENOSPC, never the emulator's memory.
inline constexpr uint32_t kFilePagesShareDivisor = 2;

// After the tree is loaded: wires it up and adds /proc. False when /proc has no room.
bool init_file_system();

// What getdents64's offset means for a directory of the tree: 0 ".", 1 "..", 2 the first
// entry, kDirectoryAt + node the entry `node` (a cursor: removing that entry moves the
// open directories reading it on to the next), kDirectoryEnd past the last.
inline constexpr uint64_t kDirectoryAt = 3;
inline constexpr uint64_t kDirectoryEnd = 0x7fffffff;

}  // namespace unixemu
