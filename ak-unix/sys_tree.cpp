// The system calls that change the file tree (issue 18 item 5; syscalls.h): mkdir,
// rmdir, unlink, rename, link, symlink, truncate, chmod, chown, utimensat, the sync
// family (accepted: the files live in memory) and statfs. Each copies its paths in,
// looks them up (sys_file.h) and asks the tree (file_tree.h), which changes nothing when
// it refuses. Errors are Linux's, in Linux's order of checks.
#include "emulator.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "proc_fs.h"
#include "sys_file.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

FileTree& tree() { return file_tree(); }

int32_t at_fd(uint32_t v) { return static_cast<int32_t>(v); }

// A path's directory and last component: 0, or -errno.
struct PathLast {
  char path[abi::kPathMax];
  LastComponent last;
};
int32_t last_of(Process& p, int32_t dirfd, uint32_t va, PathLast* out) {
  const int32_t length = path_in(p, va, out->path);
  if (length < 0) return length;
  return lookup_last(p, dirfd, out->path, static_cast<uint32_t>(length), &out->last);
}

// Buffers for the calls' paths (the handler's stack is small; calls do not interleave).
PathLast g_first, g_second;

// ---- names ----

uint32_t do_mkdirat(Process& p, int32_t dirfd, uint32_t va, uint32_t mode) {
  if (const int32_t s = last_of(p, dirfd, va, &g_first); s != 0) return error(-s);
  const LastComponent& l = g_first.last;
  uint32_t node;
  const uint32_t bits = mode & (0777 | abi::kS_ISVTX) & ~p.group().umask;
  if (const int32_t s = tree().make(l.dir, l.name, l.bytes, abi::kS_IFDIR | bits, &node); s != 0) return error(-s);
  return 0;
}
uint32_t sys_mkdir(Process& p, const SyscallArgs& a) { return do_mkdirat(p, abi::kAT_FDCWD, a[0], a[1]); }
uint32_t sys_mkdirat(Process& p, const SyscallArgs& a) { return do_mkdirat(p, at_fd(a[0]), a[1], a[2]); }

uint32_t do_remove(Process& p, int32_t dirfd, uint32_t va, bool directory) {
  if (const int32_t s = last_of(p, dirfd, va, &g_first); s != 0) return error(-s);
  const int32_t s = tree().remove(g_first.last, directory);
  return s != 0 ? error(-s) : 0;
}
uint32_t sys_unlink(Process& p, const SyscallArgs& a) { return do_remove(p, abi::kAT_FDCWD, a[0], false); }
uint32_t sys_rmdir(Process& p, const SyscallArgs& a) { return do_remove(p, abi::kAT_FDCWD, a[0], true); }
uint32_t sys_unlinkat(Process& p, const SyscallArgs& a) {
  if ((a[2] & ~abi::kAT_REMOVEDIR) != 0) return error(abi::kEINVAL);
  return do_remove(p, at_fd(a[0]), a[1], (a[2] & abi::kAT_REMOVEDIR) != 0);
}

uint32_t do_renameat2(Process& p, int32_t from_fd, uint32_t from_va, int32_t to_fd, uint32_t to_va, uint32_t flags) {
  if ((flags & ~(FileTree::kRenameNoReplace | FileTree::kRenameExchange | FileTree::kRenameWhiteout)) != 0)
    return error(abi::kEINVAL);
  if (const int32_t s = last_of(p, from_fd, from_va, &g_first); s != 0) return error(-s);
  if (const int32_t s = last_of(p, to_fd, to_va, &g_second); s != 0) return error(-s);
  const int32_t s = tree().rename(g_first.last, g_second.last, flags);
  return s != 0 ? error(-s) : 0;
}
uint32_t sys_rename(Process& p, const SyscallArgs& a) {
  return do_renameat2(p, abi::kAT_FDCWD, a[0], abi::kAT_FDCWD, a[1], 0);
}
uint32_t sys_renameat(Process& p, const SyscallArgs& a) {
  return do_renameat2(p, at_fd(a[0]), a[1], at_fd(a[2]), a[3], 0);
}
uint32_t sys_renameat2(Process& p, const SyscallArgs& a) {
  return do_renameat2(p, at_fd(a[0]), a[1], at_fd(a[2]), a[3], a[4]);
}

uint32_t do_linkat(Process& p, int32_t from_fd, uint32_t from_va, int32_t to_fd, uint32_t to_va, uint32_t flags) {
  if ((flags & ~(abi::kAT_SYMLINK_FOLLOW | abi::kAT_EMPTY_PATH)) != 0) return error(abi::kEINVAL);
  const int32_t length = path_in(p, from_va, g_first.path, (flags & abi::kAT_EMPTY_PATH) != 0);
  if (length < 0) return error(-length);
  uint32_t node;
  if (length == 0) {  // AT_EMPTY_PATH: the file from_fd is open on
    const OpenFile* f = file_of(p, from_fd);
    if (f == nullptr) return error(abi::kEBADF);
    if (f->kind != FileKind::Node) return error(abi::kEXDEV);
    node = f->node;
  } else if (const int32_t s = lookup(p, from_fd, g_first.path, static_cast<uint32_t>(length),
                                      (flags & abi::kAT_SYMLINK_FOLLOW) != 0, &node);
             s != 0) {
    return error(-s);
  }
  if (const int32_t s = last_of(p, to_fd, to_va, &g_second); s != 0) return error(-s);
  const LastComponent& l = g_second.last;
  if (l.trailing_slash && tree().type_of(node) != NodeType::Directory) {
    // "new/" names a directory to be: Linux looks it up as one (ENOENT, or EEXIST).
    return error(tree().child(l.dir, l.name, l.bytes) != FileTree::kNoNode ? abi::kEEXIST : abi::kENOENT);
  }
  const int32_t s = tree().link(node, l.dir, l.name, l.bytes);
  return s != 0 ? error(-s) : 0;
}
uint32_t sys_link(Process& p, const SyscallArgs& a) {
  return do_linkat(p, abi::kAT_FDCWD, a[0], abi::kAT_FDCWD, a[1], 0);
}
uint32_t sys_linkat(Process& p, const SyscallArgs& a) {
  return do_linkat(p, at_fd(a[0]), a[1], at_fd(a[2]), a[3], a[4]);
}

uint32_t do_symlinkat(Process& p, uint32_t target_va, int32_t dirfd, uint32_t va) {
  const int32_t target = path_in(p, target_va, g_second.path);
  if (target < 0) return error(-target);
  if (const int32_t s = last_of(p, dirfd, va, &g_first); s != 0) return error(-s);
  const LastComponent& l = g_first.last;
  if (l.trailing_slash)
    return error(tree().child(l.dir, l.name, l.bytes) != FileTree::kNoNode ? abi::kEEXIST : abi::kENOENT);
  uint32_t node;
  const int32_t s = tree().make_symlink(l.dir, l.name, l.bytes, g_second.path, static_cast<uint32_t>(target), &node);
  return s != 0 ? error(-s) : 0;
}
uint32_t sys_symlink(Process& p, const SyscallArgs& a) { return do_symlinkat(p, a[0], abi::kAT_FDCWD, a[1]); }
uint32_t sys_symlinkat(Process& p, const SyscallArgs& a) { return do_symlinkat(p, a[0], at_fd(a[1]), a[2]); }

// ---- sizes ----

// Sets a file's size: EISDIR for a directory, EINVAL for anything else not a file or a
// negative length, EFBIG beyond the largest file.
int32_t set_size(uint32_t node, int64_t length) {
  if (length < 0) return -abi::kEINVAL;
  const NodeType type = tree().type_of(node);
  if (type == NodeType::Directory) return -abi::kEISDIR;
  if (type != NodeType::File || FileTree::synthetic(node)) return -abi::kEINVAL;
  return tree().truncate(node, static_cast<uint64_t>(length));
}

uint32_t do_truncate(Process& p, uint32_t va, int64_t length) {
  const int32_t n = path_in(p, va, g_first.path);
  if (n < 0) return error(-n);
  uint32_t node;
  if (const int32_t s = lookup(p, abi::kAT_FDCWD, g_first.path, static_cast<uint32_t>(n), true, &node); s != 0)
    return error(-s);
  if (length < 0) return error(abi::kEINVAL);
  if (FileTree::synthetic(node)) return error(abi::kEACCES);
  const int32_t s = set_size(node, length);
  return s != 0 ? error(-s) : 0;
}

uint32_t do_ftruncate(Process& p, int32_t fd, int64_t length) {
  if (length < 0) return error(abi::kEINVAL);
  const OpenFile* f = file_of(p, fd);
  if (f == nullptr || (f->flags & abi::kO_PATH) != 0) return error(abi::kEBADF);
  // Linux: EINVAL for what is not a regular file or not open for writing.
  if (!is_file(*f) || !writable(*f)) return error(abi::kEINVAL);
  const int32_t s = set_size(f->node, length);
  return s != 0 ? error(-s) : 0;
}

int64_t join64(uint32_t high, uint32_t low) { return static_cast<int64_t>(static_cast<uint64_t>(high) << 32 | low); }

uint32_t sys_truncate(Process& p, const SyscallArgs& a) { return do_truncate(p, a[0], at_fd(a[1])); }
uint32_t sys_truncate64(Process& p, const SyscallArgs& a) { return do_truncate(p, a[0], join64(a[1], a[2])); }
uint32_t sys_ftruncate(Process& p, const SyscallArgs& a) { return do_ftruncate(p, at_fd(a[0]), at_fd(a[1])); }
uint32_t sys_ftruncate64(Process& p, const SyscallArgs& a) { return do_ftruncate(p, at_fd(a[0]), join64(a[1], a[2])); }

// ---- attributes ----

// The node a (dirfd, path, flags) call names (AT_EMPTY_PATH: the descriptor's).
int32_t target_of(Process& p, int32_t dirfd, uint32_t va, uint32_t flags, uint32_t* node) {
  const int32_t n = path_in(p, va, g_first.path, (flags & abi::kAT_EMPTY_PATH) != 0);
  if (n < 0) return n;
  if (n == 0) {
    if (dirfd == abi::kAT_FDCWD) {
      *node = p.group().cwd;
      return 0;
    }
    const OpenFile* f = file_of(p, dirfd);
    if (f == nullptr) return -abi::kEBADF;
    if (f->kind != FileKind::Node) return -abi::kEPERM;  // the console's node is not the tree's
    *node = f->node;
    return 0;
  }
  return lookup(p, dirfd, g_first.path, static_cast<uint32_t>(n), (flags & abi::kAT_SYMLINK_NOFOLLOW) == 0, node);
}

// The node an open descriptor is on, for fchmod/fchown/futimens: EBADF, or EPERM for the
// console (its node is not the tree's).
int32_t node_of_fd(Process& p, int32_t fd, uint32_t* node) {
  const OpenFile* f = file_of(p, fd);
  if (f == nullptr || (f->flags & abi::kO_PATH) != 0) return -abi::kEBADF;
  if (f->kind != FileKind::Node) return -abi::kEPERM;
  *node = f->node;
  return 0;
}

uint32_t set_mode(uint32_t node, uint32_t mode) {
  if (FileTree::synthetic(node)) return error(abi::kEPERM);
  Node& n = tree().node(node);
  n.mode = (n.mode & abi::kS_IFMT) | (mode & 07777);
  tree().changed(node);
  return 0;
}

uint32_t sys_chmod(Process& p, const SyscallArgs& a) {
  uint32_t node;
  if (const int32_t s = target_of(p, abi::kAT_FDCWD, a[0], 0, &node); s != 0) return error(-s);
  return set_mode(node, a[1]);
}
uint32_t sys_fchmodat(Process& p, const SyscallArgs& a) {
  uint32_t node;
  if (const int32_t s = target_of(p, at_fd(a[0]), a[1], 0, &node); s != 0) return error(-s);
  return set_mode(node, a[2]);
}
uint32_t sys_fchmod(Process& p, const SyscallArgs& a) {
  uint32_t node;
  if (const int32_t s = node_of_fd(p, at_fd(a[0]), &node); s != 0) return error(-s);
  return set_mode(node, a[1]);
}

// chown: -1 keeps an id; a change of owner clears a file's set-user-id bit and its
// set-group-id bit when group execute is on (Linux's notify_change for root).
uint32_t set_owner(uint32_t node, uint32_t uid, uint32_t gid) {
  if (FileTree::synthetic(node)) return error(abi::kEPERM);
  Node& n = tree().node(node);
  if (uid != 0xffffffffu) n.uid = uid;
  if (gid != 0xffffffffu) n.gid = gid;
  if ((uid != 0xffffffffu || gid != 0xffffffffu) && n.type != NodeType::Directory) {
    n.mode &= ~abi::kS_ISUID;
    if ((n.mode & 010) != 0) n.mode &= ~abi::kS_ISGID;
  }
  tree().changed(node);
  return 0;
}

// The 16-bit calls' ids: 0xffff is -1.
uint32_t id16(uint32_t v) { return (v & 0xffff) == 0xffff ? 0xffffffffu : v & 0xffff; }

uint32_t do_chown(Process& p, int32_t dirfd, uint32_t va, uint32_t uid, uint32_t gid, uint32_t flags) {
  if ((flags & ~(abi::kAT_SYMLINK_NOFOLLOW | abi::kAT_EMPTY_PATH)) != 0) return error(abi::kEINVAL);
  uint32_t node;
  if (const int32_t s = target_of(p, dirfd, va, flags, &node); s != 0) return error(-s);
  return set_owner(node, uid, gid);
}
uint32_t sys_chown32(Process& p, const SyscallArgs& a) { return do_chown(p, abi::kAT_FDCWD, a[0], a[1], a[2], 0); }
uint32_t sys_lchown32(Process& p, const SyscallArgs& a) {
  return do_chown(p, abi::kAT_FDCWD, a[0], a[1], a[2], abi::kAT_SYMLINK_NOFOLLOW);
}
uint32_t sys_fchownat(Process& p, const SyscallArgs& a) { return do_chown(p, at_fd(a[0]), a[1], a[2], a[3], a[4]); }
uint32_t sys_chown16(Process& p, const SyscallArgs& a) {
  return do_chown(p, abi::kAT_FDCWD, a[0], id16(a[1]), id16(a[2]), 0);
}
uint32_t sys_lchown16(Process& p, const SyscallArgs& a) {
  return do_chown(p, abi::kAT_FDCWD, a[0], id16(a[1]), id16(a[2]), abi::kAT_SYMLINK_NOFOLLOW);
}
uint32_t do_fchown(Process& p, int32_t fd, uint32_t uid, uint32_t gid) {
  uint32_t node;
  if (const int32_t s = node_of_fd(p, fd, &node); s != 0) return error(-s);
  return set_owner(node, uid, gid);
}
uint32_t sys_fchown32(Process& p, const SyscallArgs& a) { return do_fchown(p, at_fd(a[0]), a[1], a[2]); }
uint32_t sys_fchown16(Process& p, const SyscallArgs& a) { return do_fchown(p, at_fd(a[0]), id16(a[1]), id16(a[2])); }

// utimensat(dirfd, path or NULL, times or NULL, flags): a timespec pair of 32-bit fields,
// or of 64-bit ones for utimensat_time64. UTIME_NOW and UTIME_OMIT as Linux has them.
uint32_t do_utimensat(Process& p, const SyscallArgs& a, bool time64) {
  const int32_t dirfd = at_fd(a[0]);
  const uint32_t flags = a[3];
  FileTime times[2];
  bool set[2] = {true, true};
  const FileTime now = tree().now();
  times[0] = times[1] = now;
  if (a[2] != 0) {
    uint8_t raw[32];
    const uint32_t bytes = time64 ? 32 : 16;
    if (const int32_t s = copy_in(p, a[2], raw, bytes); s != 0) return error(-s);
    for (uint32_t i = 0; i < 2; ++i) {
      const uint8_t* t = raw + i * (bytes / 2);
      const int64_t sec = time64 ? join64(ck::load_be32(t), ck::load_be32(t + 4)) : at_fd(ck::load_be32(t));
      const int64_t nsec = time64 ? join64(ck::load_be32(t + 8), ck::load_be32(t + 12)) : at_fd(ck::load_be32(t + 4));
      if (nsec == abi::kUTIME_OMIT) {
        set[i] = false;
      } else if (nsec != abi::kUTIME_NOW) {
        if (nsec < 0 || nsec >= 1000000000) return error(abi::kEINVAL);
        times[i] = FileTime{sec, static_cast<uint32_t>(nsec)};
      }
    }
  }
  if ((flags & ~(abi::kAT_SYMLINK_NOFOLLOW | abi::kAT_EMPTY_PATH)) != 0) return error(abi::kEINVAL);
  uint32_t node;
  if (a[1] == 0) {  // futimens: the descriptor's file
    if (dirfd == abi::kAT_FDCWD) return error(abi::kEFAULT);
    const OpenFile* f = file_of(p, dirfd);
    if (f == nullptr) return error(abi::kEBADF);
    if (f->kind != FileKind::Node) return error(abi::kEPERM);
    node = f->node;
  } else if (const int32_t s = target_of(p, dirfd, a[1], flags, &node); s != 0) {
    return error(-s);
  }
  if (!set[0] && !set[1]) return 0;
  if (FileTree::synthetic(node)) return error(abi::kEPERM);
  Node& n = tree().node(node);
  if (set[0]) n.atime = times[0];
  if (set[1]) n.mtime = times[1];
  n.ctime = now;
  return 0;
}
uint32_t sys_utimensat(Process& p, const SyscallArgs& a) { return do_utimensat(p, a, false); }
uint32_t sys_utimensat_time64(Process& p, const SyscallArgs& a) { return do_utimensat(p, a, true); }

// ---- sync and statfs ----

// fsync, fdatasync: the files live in memory, nothing to write; EINVAL for what has no
// such operation (the console and /dev's devices, as Linux's).
uint32_t sys_fsync(Process& p, const SyscallArgs& a) {
  const OpenFile* f = file_of(p, at_fd(a[0]));
  if (f == nullptr) return error(abi::kEBADF);
  return f->kind == FileKind::Node ? 0 : error(abi::kEINVAL);
}
uint32_t sys_sync(Process&, const SyscallArgs&) { return 0; }
uint32_t sys_syncfs(Process& p, const SyscallArgs& a) {
  return file_of(p, at_fd(a[0])) == nullptr ? error(abi::kEBADF) : 0;
}

// The file system's figures: pages of 4 KiB (the budget, what is free of it), nodes.
uint32_t put_statfs(Process& p, uint32_t va, uint32_t node, bool wide) {
  namespace L = abi::statfs64_layout;
  uint8_t s[L::kBytes] = {};
  const bool proc = FileTree::synthetic(node) || node == tree().synthetic_mount();
  const uint32_t limit = proc ? 0 : tree().page_limit();
  const uint32_t free = proc || tree().pages_used() >= limit ? 0 : limit - tree().pages_used();
  const uint32_t files = proc ? 0 : FileTree::kMaxNodes, ffree = proc ? 0 : tree().free_nodes();
  ck::store_be32(s + L::kType, proc ? abi::kPROC_SUPER_MAGIC : abi::kTMPFS_MAGIC);
  ck::store_be32(s + L::kBsize, 4096);
  const uint32_t counts[] = {limit, free, free, files, ffree};
  for (uint32_t i = 0; i < 5; ++i) {
    if (wide) {
      ck::store_be32(s + L::kBlocks + 8 * i + 4, counts[i]);
    } else {
      ck::store_be32(s + 8 + 4 * i, counts[i]);
    }
  }
  // fsid (8 bytes) stays 0; then namelen, frsize, flags (ST_VALID).
  const uint32_t tail = wide ? L::kNamelen : 36;
  ck::store_be32(s + tail, abi::kNameMax);
  ck::store_be32(s + tail + 4, 4096);
  ck::store_be32(s + tail + 8, 0x20);
  const int32_t r = copy_out(p, va, s, wide ? L::kBytes : L::kStatfsBytes);
  return r != 0 ? error(-r) : 0;
}

uint32_t do_statfs(Process& p, uint32_t path_va, uint32_t va, bool wide) {
  const int32_t n = path_in(p, path_va, g_first.path);
  if (n < 0) return error(-n);
  uint32_t node;
  if (const int32_t s = lookup(p, abi::kAT_FDCWD, g_first.path, static_cast<uint32_t>(n), true, &node); s != 0)
    return error(-s);
  return put_statfs(p, va, node, wide);
}
uint32_t do_fstatfs(Process& p, int32_t fd, uint32_t va, bool wide) {
  const OpenFile* f = file_of(p, fd);
  if (f == nullptr) return error(abi::kEBADF);
  return put_statfs(p, va, f->kind == FileKind::Node ? f->node : FileTree::kRoot, wide);
}
uint32_t sys_statfs(Process& p, const SyscallArgs& a) { return do_statfs(p, a[0], a[1], false); }
uint32_t sys_fstatfs(Process& p, const SyscallArgs& a) { return do_fstatfs(p, at_fd(a[0]), a[1], false); }
// statfs64(path, size, buf): the size must be the structure's.
uint32_t sys_statfs64(Process& p, const SyscallArgs& a) {
  if (a[1] != abi::statfs64_layout::kBytes) return error(abi::kEINVAL);
  return do_statfs(p, a[0], a[2], true);
}
uint32_t sys_fstatfs64(Process& p, const SyscallArgs& a) {
  if (a[1] != abi::statfs64_layout::kBytes) return error(abi::kEINVAL);
  return do_fstatfs(p, at_fd(a[0]), a[2], true);
}

constexpr SyscallEntry kEntries[] = {
    {abi::kMkdir, sys_mkdir},         {abi::kMkdirat, sys_mkdirat},
    {abi::kRmdir, sys_rmdir},         {abi::kUnlink, sys_unlink},
    {abi::kUnlinkat, sys_unlinkat},   {abi::kRename, sys_rename},
    {abi::kRenameat, sys_renameat},   {abi::kRenameat2, sys_renameat2},
    {abi::kLink, sys_link},           {abi::kLinkat, sys_linkat},
    {abi::kSymlink, sys_symlink},     {abi::kSymlinkat, sys_symlinkat},
    {abi::kTruncate, sys_truncate},   {abi::kTruncate64, sys_truncate64},
    {abi::kFtruncate, sys_ftruncate}, {abi::kFtruncate64, sys_ftruncate64},
    {abi::kChmod, sys_chmod},         {abi::kFchmod, sys_fchmod},
    {abi::kFchmodat, sys_fchmodat},   {abi::kChown16, sys_chown16},
    {abi::kLchown16, sys_lchown16},   {abi::kFchown16, sys_fchown16},
    {abi::kChown32, sys_chown32},     {abi::kLchown32, sys_lchown32},
    {abi::kFchown32, sys_fchown32},   {abi::kFchownat, sys_fchownat},
    {abi::kUtimensat, sys_utimensat}, {abi::kUtimensatTime64, sys_utimensat_time64},
    {abi::kFsync, sys_fsync},         {abi::kFdatasync, sys_fsync},
    {abi::kSync, sys_sync},           {abi::kSyncfs, sys_syncfs},
    {abi::kStatfs, sys_statfs},       {abi::kFstatfs, sys_fstatfs},
    {abi::kStatfs64, sys_statfs64},   {abi::kFstatfs64, sys_fstatfs64},
};

}  // namespace

SyscallGroup tree_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
