// What the file system calls (sys_file.cpp, sys_tree.cpp) share: paths copied in and
// looked up from a process's working directory or a directory descriptor, and the open
// file a descriptor names.
#pragma once

#include <stdint.h>

#include "file_tree.h"
#include "files.h"
#include "linux_abi.h"
#include "process.h"

namespace unixemu {

// A path argument, copied in: its length, or -EFAULT, -ENAMETOOLONG, -ENOENT (empty,
// unless `empty_ok`). The caller becomes /proc/self's process.
int32_t path_in(Process& p, uint32_t va, char (&path)[linux_abi::kPathMax], bool empty_ok = false);
// The directory a relative path starts from: the working directory, or `dirfd`'s (EBADF,
// ENOTDIR).
int32_t start_dir(Process& p, int32_t dirfd, const char* path, uint32_t* dir);
// The node a path names (resolve's errors, start_dir's).
int32_t lookup(Process& p, int32_t dirfd, const char* path, uint32_t length, bool follow, uint32_t* node);
// The directory and last component of a path (resolve_last's errors, start_dir's).
int32_t lookup_last(Process& p, int32_t dirfd, const char* path, uint32_t length, LastComponent* last);
// The open file `fd` names, or nullptr. Inline: every read and write asks (and a pipe's
// read or write again after a wait).
inline OpenFile* file_of(Process& p, int32_t fd) {
  const uint32_t f = p.group().fds.file(fd);
  return f == FdTable::kNone ? nullptr : &open_files().at(f);
}
bool readable(const OpenFile& f);
bool writable(const OpenFile& f);
// True when `f` is a regular file of the tree.
bool is_file(const OpenFile& f);

}  // namespace unixemu
