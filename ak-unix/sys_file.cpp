// File system calls over the file tree (file_tree.h: the image, writable, and /proc) and
// the console (syscalls.h): open, read, write, seek, stat, directories, links, access,
// the working directory, descriptors. Errors are Linux's, in Linux's order of checks.
// The calls that change the tree's names and attributes are sys_tree.cpp's.
#include <string.h>

#include "console.h"
#include "emulator.h"
#include "emulator_lock.h"
#include "file_system.h"
#include "interruption.h"
#include "lib/endian.h"
#include "lib/str.h"
#include "linux_abi.h"
#include "linux_abi_signal.h"
#include "pipe.h"
#include "proc_fs.h"
#include "sys_file.h"
#include "sys_pipe.h"
#include "syscall_checks.h"
#include "syscalls.h"
#include "terminal_control.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr uint32_t kDevice = 1;                           // st_dev of the root file system
constexpr uint32_t kProcDevice = 4;                       // and of /proc
constexpr uint32_t kConsoleMajor = 5, kConsoleMinor = 1;  // /dev/console
constexpr uint32_t kConsoleInode = 0xc0;
constexpr uint32_t kPipeDevice = 0xd, kPipeInodes = 0x1000;  // pipefs's st_dev, inodes

FileTree& tree() { return file_tree(); }

// What opening `node` gives: a device node its device, anything else the node.
FileKind kind_of(uint32_t node) {
  if (FileTree::synthetic(node)) return FileKind::Node;  // /proc's
  switch (tree().node(node).device) {
    case Device::Null:
      return FileKind::Null;
    case Device::Zero:
      return FileKind::Zero;
    case Device::Console:
      return FileKind::Console;
    case Device::None:
      break;
  }
  return FileKind::Node;
}

}  // namespace

int32_t path_in(Process& p, uint32_t va, char (&path)[abi::kPathMax], bool empty_ok) {
  proc_fs().set_caller(&p);  // /proc/self is the caller's
  const int32_t n = copy_string_in(p, va, path, abi::kPathMax);
  if (n == 0 && !empty_ok) return -abi::kENOENT;
  return n;
}

int32_t start_dir(Process& p, int32_t dirfd, const char* path, uint32_t* dir) {
  if (path[0] == '/' || dirfd == abi::kAT_FDCWD) {
    *dir = p.group().cwd;
    return 0;
  }
  const uint32_t f = p.group().fds.file(dirfd);
  if (f == FdTable::kNone) return -abi::kEBADF;
  const OpenFile& of = open_files().at(f);
  if (of.kind != FileKind::Node || tree().type_of(of.node) != NodeType::Directory) return -abi::kENOTDIR;
  *dir = of.node;
  return 0;
}

int32_t lookup(Process& p, int32_t dirfd, const char* path, uint32_t length, bool follow, uint32_t* node) {
  uint32_t dir;
  if (const int32_t s = start_dir(p, dirfd, path, &dir); s != 0) return s;
  return tree().resolve(dir, path, length, follow, node);
}

int32_t lookup_last(Process& p, int32_t dirfd, const char* path, uint32_t length, LastComponent* last) {
  uint32_t dir;
  if (const int32_t s = start_dir(p, dirfd, path, &dir); s != 0) return s;
  return tree().resolve_last(dir, path, length, last);
}

bool readable(const OpenFile& f) {
  return (f.flags & abi::kO_PATH) == 0 && (f.flags & abi::kO_ACCMODE) != abi::kO_WRONLY;
}
bool writable(const OpenFile& f) {
  return (f.flags & abi::kO_PATH) == 0 && (f.flags & abi::kO_ACCMODE) != abi::kO_RDONLY;
}

bool is_pipe(const OpenFile& f) { return f.kind == FileKind::PipeRead || f.kind == FileKind::PipeWrite; }
// Not seekable: the console, its stream and pipes (ESPIPE).
bool is_stream(const OpenFile& f) {
  return f.kind == FileKind::Console || f.kind == FileKind::ConsoleStream || is_pipe(f);
}

bool is_file(const OpenFile& f) {
  return f.kind == FileKind::Node && !FileTree::synthetic(f.node) && tree().node(f.node).type == NodeType::File;
}

namespace {

// ---- open, close ----

uint32_t do_openat(Process& p, int32_t dirfd, uint32_t path_va, uint32_t flags, uint32_t open_mode) {
  char path[abi::kPathMax];
  const int32_t length = path_in(p, path_va, path);
  if (length < 0) return error(-length);
  uint32_t node = FileTree::kRoot;
  const bool follow = (flags & abi::kO_NOFOLLOW) == 0;
  const int32_t found = lookup(p, dirfd, path, static_cast<uint32_t>(length), follow, &node);
  int32_t parent_found = 0;
  LastComponent last;
  if (found == -abi::kENOENT && (flags & abi::kO_CREAT) != 0) {
    // Creating needs the parent directory; a name that exists but led nowhere is a
    // dangling symbolic link (Linux would create its target; the emulator does not).
    parent_found = lookup_last(p, dirfd, path, static_cast<uint32_t>(length), &last);
    if (parent_found == 0 && last.trailing_slash) parent_found = -abi::kEISDIR;
    if (parent_found == 0 && tree().type_of(last.dir) == NodeType::Directory && !FileTree::synthetic(last.dir) &&
        tree().child(last.dir, last.name, last.bytes) != FileTree::kNoNode)
      parent_found = (flags & abi::kO_EXCL) != 0 ? -abi::kEEXIST : -abi::kENOENT;
  }
  const NodeType type = found == 0 ? tree().type_of(node) : NodeType::File;
  if (const int32_t s = open_decision(found, type, flags, parent_found); s != 0) return error(-s);
  const uint32_t access = flags & abi::kO_ACCMODE;
  if (found == 0 && FileTree::synthetic(node) && (access != abi::kO_RDONLY || (flags & abi::kO_TRUNC) != 0))
    return error(abi::kEACCES);  // /proc's files are read-only
  if (found != 0) {              // O_CREAT of a missing file: mode & ~umask
    const uint32_t mode = abi::kS_IFREG | (static_cast<uint32_t>(open_mode) & 07777 & ~p.group().umask);
    if (const int32_t s = tree().make(last.dir, last.name, last.bytes, mode, &node); s != 0) return error(-s);
  } else if ((flags & abi::kO_TRUNC) != 0 && type == NodeType::File && (flags & abi::kO_PATH) == 0) {
    if (const int32_t s = tree().truncate(node, 0); s != 0) return error(-s);
  }
  const uint32_t kept = flags & ~(abi::kO_CREAT | abi::kO_EXCL | abi::kO_NOCTTY | abi::kO_TRUNC | abi::kO_CLOEXEC);
  const uint32_t f = open_files().open(kind_of(node), node, kept);
  if (f == OpenFiles::kNone) return error(abi::kENFILE);
  const int32_t fd = p.group().fds.install(f, (flags & abi::kO_CLOEXEC) != 0);
  return fd < 0 ? error(-fd) : static_cast<uint32_t>(fd);
}

uint32_t sys_open(Process& p, const SyscallArgs& a) { return do_openat(p, abi::kAT_FDCWD, a[0], a[1], a[2]); }
uint32_t sys_openat(Process& p, const SyscallArgs& a) {
  return do_openat(p, static_cast<int32_t>(a[0]), a[1], a[2], a[3]);
}
// creat(path, mode): open(path, O_CREAT | O_WRONLY | O_TRUNC, mode).
uint32_t sys_creat(Process& p, const SyscallArgs& a) {
  return do_openat(p, abi::kAT_FDCWD, a[0], abi::kO_CREAT | abi::kO_WRONLY | abi::kO_TRUNC, a[1]);
}

uint32_t sys_close(Process& p, const SyscallArgs& a) {
  const int32_t s = p.group().fds.close(static_cast<int32_t>(a[0]));
  return s != 0 ? error(-s) : 0;
}

// ---- read, write ----

// A /proc file's bytes at `offset`: its text generated now (-ESRCH: its process is gone).
int32_t read_proc(Process& p, uint32_t id, uint32_t va, uint32_t count, uint64_t offset) {
  if (tree().type_of(id) == NodeType::Directory) return -abi::kEISDIR;
  static char text[4096];  // calls do not interleave (the handler's stack is small)
  const int32_t length = proc_fs().text(id, text, sizeof text);
  if (length < 0) return -abi::kESRCH;
  if (offset >= static_cast<uint32_t>(length)) return 0;
  uint32_t n = static_cast<uint32_t>(length) - static_cast<uint32_t>(offset);
  if (n > count) n = count;
  if (const int32_t s = copy_out(p, va, text + offset, n); s != 0) return s;
  return static_cast<int32_t>(n);
}

// Reads up to `count` bytes at `offset` of open file `f` into the process at `va`:
// bytes read or -errno. (Only nodes and the console are files here.)
int32_t read_at(Process& p, OpenFile& f, uint32_t va, uint32_t count, uint64_t offset) {
  if (f.kind == FileKind::Console) {  // what is there now (readv does not wait)
    char line[256];
    uint32_t n;
    if (!console_take(line, count < sizeof line ? count : sizeof line, &n)) return 0;
    const int32_t s = copy_out(p, va, line, n);
    return s != 0 ? s : static_cast<int32_t>(n);
  }
  if (f.kind == FileKind::PipeRead) return pipes().take(p, f.node, va, count);  // what is there
  if (f.kind == FileKind::Null) return 0;
  if (f.kind == FileKind::Zero) {
    static const uint8_t kZeros[256] = {};
    for (uint32_t done = 0; done < count;) {
      const uint32_t n = count - done < sizeof kZeros ? count - done : sizeof kZeros;
      if (const int32_t s = copy_out(p, va + done, kZeros, n); s != 0)
        return done != 0 ? static_cast<int32_t>(done) : s;
      done += n;
    }
    return static_cast<int32_t>(count);
  }
  if (FileTree::synthetic(f.node)) return read_proc(p, f.node, va, count, offset);
  const Node& n = tree().node(f.node);
  if (n.type == NodeType::Directory) return -abi::kEISDIR;
  if (n.type != NodeType::File) return -abi::kEINVAL;
  uint32_t done = 0;
  while (done < count) {
    const Piece piece = tree().piece(f.node, offset + done, count - done);
    if (piece.failed) return done != 0 ? static_cast<int32_t>(done) : -abi::kEIO;
    if (piece.n == 0) break;
    if (const int32_t s = copy_out(p, va + done, piece.bytes, piece.n); s != 0)
      return done != 0 ? static_cast<int32_t>(done) : s;
    done += piece.n;
  }
  return static_cast<int32_t>(done);
}

// Writes up to `count` bytes from the process at `va` into file `node` at `offset`: bytes
// written or -errno (EFBIG at the largest size, ENOSPC with nothing written).
int32_t write_file(Process& p, uint32_t node, uint32_t va, uint32_t count, uint64_t offset) {
  if (offset >= kMaxFileBytes && count != 0) return -abi::kEFBIG;
  if (count > kMaxFileBytes - offset) count = static_cast<uint32_t>(kMaxFileBytes - offset);
  uint32_t done = 0;
  int32_t status = 0;
  while (done < count) {
    uint8_t* to;
    uint32_t n;
    status = tree().writable(node, offset + done, count - done, &to, &n);
    if (status != 0) break;
    status = copy_in(p, va + done, to, n);
    if (status != 0) break;
    done += n;
  }
  if (done != 0) tree().wrote(node, offset + done);
  return done != 0 || count == 0 ? static_cast<int32_t>(done) : status;
}

// The bytes go to the console's queue (console.h), counted in Process::output_done in the
// same instruction; bytes a repeated call had already queued (Process::output_skip) are
// counted, not queued again. A full or busy queue is waited for, a tick at a time.
int32_t write_console(Process& p, uint32_t va, uint32_t count) {
  char chunk[256];
  const uint32_t owner = processes().index_of(p) + 1;
  uint32_t done = 0;
  while (done < count) {
    const uint32_t n = count - done < sizeof chunk ? count - done : sizeof chunk;
    if (const int32_t s = copy_in(p, va + done, chunk, n); s != 0) return done != 0 ? static_cast<int32_t>(done) : s;
    const uint32_t skip = p.output_skip > p.output_done ? p.output_skip - p.output_done : 0;
    if (skip >= n) {
      p.output_done = p.output_done + n;  // all of it was queued by an attempt before this one
    } else {
      p.output_done = p.output_done + skip;
      while (!console_queue(owner, chunk + skip, n - skip, &p.output_done)) {
        ak::wake(main_thread());                            // it writes the queue out (the lock let go meanwhile)
        emulator_lock().pause(processes().index_of(p), 1);  // to the next tick
      }
    }
    done += n;
  }
  return static_cast<int32_t>(done);
}

// A write at the description's position (its end with O_APPEND), which moves past it.
int32_t write_to(Process& p, OpenFile& f, uint32_t va, uint32_t count) {
  if (f.kind == FileKind::Console || f.kind == FileKind::ConsoleStream) return write_console(p, va, count);
  if (f.kind == FileKind::PipeWrite) {  // (writev's pipes go to pipe_write whole)
    const UserSpan span{va, count};
    return static_cast<int32_t>(pipe_write(p, -1, f, &span, 1));
  }
  // Taken whole and dropped, the buffer never read (Linux's write_null and write_zero).
  if (f.kind == FileKind::Null || f.kind == FileKind::Zero) return static_cast<int32_t>(count);
  if (!is_file(f)) return -abi::kEBADF;
  if ((f.flags & abi::kO_APPEND) != 0) f.offset = tree().node(f.node).size;
  const int32_t n = write_file(p, f.node, va, count, f.offset);
  if (n > 0) f.offset += static_cast<uint32_t>(n);
  return n;
}

// A console read: a line if one was typed, else the process waits for one with its
// thread unloaded (paper §2.3); the first thread finishes the read (console_reads()).
uint32_t read_console(Process& p, uint32_t va, uint32_t count) {
  char line[256];
  uint32_t n;
  if (count == 0) return 0;
  if (console_take(line, count < sizeof line ? count : sizeof line, &n)) {
    const int32_t s = copy_out(p, va, line, n);
    return s != 0 ? error(-s) : n;
  }
  if (signal_ends_wait(p)) return error(abi::kERESTARTSYS);
  p.reading_console = true;
  p.read_va = va;
  p.read_count = count;
  block_thread(p);
}

uint32_t sys_read(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr || !readable(*f)) return error(abi::kEBADF);
  const uint32_t count = a[2] < abi::kMaxRwCount ? a[2] : abi::kMaxRwCount;
  if (f->kind == FileKind::Console) return read_console(p, a[1], count);
  if (f->kind == FileKind::PipeRead) return pipe_read(p, static_cast<int32_t>(a[0]), *f, a[1], count);
  const int32_t n = read_at(p, *f, a[1], count, f->offset);
  if (n < 0) return error(-n);
  if (f->kind == FileKind::Node) f->offset += static_cast<uint32_t>(n);  // the devices have no position
  return static_cast<uint32_t>(n);
}

uint32_t sys_write(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr || !writable(*f)) return error(abi::kEBADF);
  const uint32_t count = a[2] < abi::kMaxRwCount ? a[2] : abi::kMaxRwCount;
  if (f->kind == FileKind::PipeWrite) {  // through its fd: it may look again after a wait (sys_pipe.h)
    const UserSpan span{a[1], count};
    return pipe_write(p, static_cast<int32_t>(a[0]), *f, &span, 1);
  }
  const int32_t n = write_to(p, *f, a[1], count);
  return n < 0 ? error(-n) : static_cast<uint32_t>(n);
}

// An iovec array: EINVAL for a bad count or a total that overflows, EFAULT for the array.
struct Iovec {
  uint32_t base, length;
};
int32_t iovecs_in(Process& p, uint32_t va, uint32_t count, Iovec* out) {
  if (count > abi::kIovMax) return -abi::kEINVAL;
  uint32_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t raw[8];
    if (const int32_t s = copy_in(p, va + 8 * i, raw, sizeof raw); s != 0) return s;
    out[i] = Iovec{ck::load_be32(raw), ck::load_be32(raw + 4)};
    if (out[i].length > 0x7fffffffu - total) return -abi::kEINVAL;
    total += out[i].length;
  }
  return 0;
}

uint32_t sys_readv(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr || !readable(*f)) return error(abi::kEBADF);
  static Iovec iov[abi::kIovMax];  // the handler's stack is small; calls do not interleave
  if (const int32_t s = iovecs_in(p, a[1], a[2], iov); s != 0) return error(-s);
  if (f->kind == FileKind::PipeRead && pipes().bytes(f->node) == 0) {
    // An empty pipe: as read(2) of the first buffer (the end of file, EAGAIN, or a wait).
    for (uint32_t i = 0; i < a[2]; ++i)
      if (iov[i].length != 0) return pipe_read(p, -1, *f, iov[i].base, iov[i].length);
    return 0;
  }
  uint32_t done = 0;
  for (uint32_t i = 0; i < a[2]; ++i) {
    if (iov[i].length == 0) continue;
    const int32_t n = read_at(p, *f, iov[i].base, iov[i].length, f->offset);
    if (n < 0) return done != 0 ? done : error(-n);
    f->offset += static_cast<uint32_t>(n);
    done += static_cast<uint32_t>(n);
    if (static_cast<uint32_t>(n) < iov[i].length) break;
  }
  return done;
}

uint32_t sys_writev(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr || !writable(*f)) return error(abi::kEBADF);
  static Iovec iov[abi::kIovMax];
  if (const int32_t s = iovecs_in(p, a[1], a[2], iov); s != 0) return error(-s);
  if (f->kind == FileKind::PipeWrite) {  // all of it as one write (PIPE_BUF's atomicity)
    static UserSpan spans[abi::kIovMax];
    for (uint32_t i = 0; i < a[2]; ++i) spans[i] = UserSpan{iov[i].base, iov[i].length};
    return pipe_write(p, -1, *f, spans, a[2]);
  }
  uint32_t done = 0;
  for (uint32_t i = 0; i < a[2]; ++i) {
    if (iov[i].length == 0) continue;
    const int32_t n = write_to(p, *f, iov[i].base, iov[i].length);
    if (n < 0) return done != 0 ? done : error(-n);
    done += static_cast<uint32_t>(n);
    if (static_cast<uint32_t>(n) < iov[i].length) break;
  }
  return done;
}

// pread64/pwrite64: the 64-bit offset in two registers, high word first.
uint32_t sys_pread64(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr || !readable(*f)) return error(abi::kEBADF);
  if (is_stream(*f)) return error(abi::kESPIPE);
  const int64_t offset = static_cast<int64_t>(static_cast<uint64_t>(a[3]) << 32 | a[4]);
  if (offset < 0) return error(abi::kEINVAL);
  const uint32_t count = a[2] < abi::kMaxRwCount ? a[2] : abi::kMaxRwCount;
  const int32_t n = read_at(p, *f, a[1], count, static_cast<uint64_t>(offset));
  return n < 0 ? error(-n) : static_cast<uint32_t>(n);
}

uint32_t sys_pwrite64(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr || !writable(*f)) return error(abi::kEBADF);
  if (is_stream(*f)) return error(abi::kESPIPE);
  const uint32_t count = a[2] < abi::kMaxRwCount ? a[2] : abi::kMaxRwCount;
  if (f->kind == FileKind::Null || f->kind == FileKind::Zero) return count;
  if (!is_file(*f)) return error(abi::kEBADF);
  const int64_t offset = static_cast<int64_t>(static_cast<uint64_t>(a[3]) << 32 | a[4]);
  if (offset < 0) return error(abi::kEINVAL);
  // Linux's pwrite on a file opened O_APPEND appends whatever the offset.
  const uint64_t at = (f->flags & abi::kO_APPEND) != 0 ? tree().node(f->node).size : static_cast<uint64_t>(offset);
  const int32_t n = write_file(p, f->node, a[1], count, at);
  return n < 0 ? error(-n) : static_cast<uint32_t>(n);
}

// ---- seeking ----

int32_t seek(OpenFile& f, int64_t offset, uint32_t whence, uint64_t* out) {
  if (is_stream(f)) return -abi::kESPIPE;
  if (f.kind == FileKind::Null || f.kind == FileKind::Zero) {  // Linux's null_lseek: always at 0
    *out = f.offset = 0;
    return 0;
  }
  const uint64_t size = is_file(f) ? tree().node(f.node).size : 0;
  if (const int32_t s = seek_target(f.offset, size, offset, whence, out); s != 0) return s;
  f.offset = *out;
  return 0;
}

uint32_t sys_lseek(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr) return error(abi::kEBADF);
  const uint64_t before = f->offset;
  uint64_t at;
  if (const int32_t s = seek(*f, static_cast<int32_t>(a[1]), a[2], &at); s != 0) return error(-s);
  if (at > 0x7fffffffu) {
    f->offset = before;
    return error(abi::kEOVERFLOW);
  }
  return static_cast<uint32_t>(at);
}

// _llseek(fd, offset_high, offset_low, loff_t* result, whence)
uint32_t sys_llseek(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr) return error(abi::kEBADF);
  const uint64_t before = f->offset;
  uint64_t at;
  const int64_t offset = static_cast<int64_t>(static_cast<uint64_t>(a[1]) << 32 | a[2]);
  if (const int32_t s = seek(*f, offset, a[4], &at); s != 0) return error(-s);
  uint8_t out[8];
  ck::store_be32(out, static_cast<uint32_t>(at >> 32));
  ck::store_be32(out + 4, static_cast<uint32_t>(at));
  if (const int32_t s = copy_out(p, a[3], out, sizeof out); s != 0) {
    f->offset = before;
    return error(-s);
  }
  return 0;
}

// ---- stat ----

struct Attributes {
  uint32_t mode = 0, nlink = 0, ino = 0;
  uint64_t size = 0;
  uint32_t rdev_major = 0, rdev_minor = 0, dev = 0;
  uint32_t uid = 0, gid = 0;
  uint64_t blocks = 0;  // 512-byte units
  FileTime atime, mtime, ctime;
};

Attributes basic(uint32_t mode, uint32_t nlink, uint32_t ino, uint64_t size, uint32_t major, uint32_t minor,
                 uint32_t dev) {
  Attributes at;
  at.mode = mode;
  at.nlink = nlink;
  at.ino = ino;
  at.size = size;
  at.rdev_major = major;
  at.rdev_minor = minor;
  at.dev = dev;
  return at;
}

// /proc's directories, links and files (owned by root, sized 0 as Linux's are).
Attributes attributes_of_synthetic(uint32_t id) {
  const uint32_t mode = proc_fs().mode(id);
  const FileTime t = tree().now();
  Attributes at = basic(mode, (mode & abi::kS_IFMT) == abi::kS_IFDIR ? 2u : 1u, id & 0x7fffffffu, 0, 0, 0, kProcDevice);
  at.atime = at.mtime = at.ctime = t;
  return at;
}

Attributes attributes_of_node(uint32_t node) {
  if (FileTree::synthetic(node)) return attributes_of_synthetic(node);
  const Node& n = tree().node(node);
  const uint64_t size = n.type == NodeType::Directory ? 4096 : n.size;
  Attributes at = basic(n.mode, n.nlink, node + 1, size, n.rdev >> 8, n.rdev & 0xff,
                        node == tree().synthetic_mount() ? kProcDevice : kDevice);
  at.uid = n.uid;
  at.gid = n.gid;
  // What the file occupies: its own pages, the image's bytes (a hole takes nothing).
  at.blocks = n.type == NodeType::Symlink || n.type == NodeType::Device ? 0 : (size + 4095) / 4096 * 8;
  if (n.type == NodeType::File && !tree().pristine(node))
    at.blocks = static_cast<uint64_t>(tree().pages_held(node)) * 8 + (static_cast<uint64_t>(n.bytes) + 4095) / 4096 * 8;
  at.atime = n.atime;
  at.mtime = n.mtime;
  at.ctime = n.ctime;
  return at;
}

Attributes attributes_of(const OpenFile& f) {
  if (f.kind == FileKind::Console)
    return basic(abi::kS_IFCHR | 0620, 1, kConsoleInode, 0, kConsoleMajor, kConsoleMinor, 6);
  if (is_pipe(f))  // pipefs's: an inode per pipe, no size
    return basic(abi::kS_IFIFO | 0600, 1, kPipeInodes + f.node, 0, 0, 0, kPipeDevice);
  if (f.kind == FileKind::ConsoleStream)  // as a pipe into the harness would be
    return basic(abi::kS_IFIFO | 0600, 1, kPipeInodes - 1, 0, 0, 0, kPipeDevice);
  return attributes_of_node(f.node);
}

void put_time32(uint8_t* at, const FileTime& t) {
  ck::store_be32(at, static_cast<uint32_t>(t.sec));
  ck::store_be32(at + 4, t.nsec);
}

void put64(uint8_t* at, uint64_t v) {
  ck::store_be32(at, static_cast<uint32_t>(v >> 32));
  ck::store_be32(at + 4, static_cast<uint32_t>(v));
}

uint32_t put_stat64(Process& p, uint32_t va, const Attributes& at) {
  namespace L = abi::stat64_layout;
  uint8_t s[L::kBytes] = {};
  put64(s + L::kDev, at.dev);
  ck::store_be32(s + L::kShortIno, at.ino);
  ck::store_be32(s + L::kMode, at.mode);
  ck::store_be32(s + L::kNlink, at.nlink);
  put64(s + L::kRdev, at.rdev_major << 8 | at.rdev_minor);
  put64(s + L::kSize, at.size);
  ck::store_be32(s + L::kBlksize, 4096);
  put64(s + L::kBlocks, at.blocks);
  ck::store_be32(s + L::kUid, at.uid);
  ck::store_be32(s + L::kGid, at.gid);
  put_time32(s + L::kAtime, at.atime);
  put_time32(s + L::kMtime, at.mtime);
  put_time32(s + L::kCtime, at.ctime);
  put64(s + L::kIno, at.ino);
  const int32_t r = copy_out(p, va, s, sizeof s);
  return r != 0 ? error(-r) : 0;
}

uint32_t put_statx(Process& p, uint32_t va, const Attributes& at) {
  namespace L = abi::statx_layout;
  uint8_t s[L::kBytes] = {};
  ck::store_be32(s + L::kMask, abi::kSTATX_BASIC_STATS);
  ck::store_be32(s + L::kBlksize, 4096);
  ck::store_be32(s + L::kNlink, at.nlink);
  ck::store_be16(s + L::kMode, static_cast<uint16_t>(at.mode));
  put64(s + L::kIno, at.ino);
  put64(s + L::kSize, at.size);
  put64(s + L::kBlocks, at.blocks);
  ck::store_be32(s + L::kUid, at.uid);
  ck::store_be32(s + L::kGid, at.gid);
  // statx_timestamp: tv_sec s64, tv_nsec u32.
  const FileTime* times[] = {&at.atime, &at.ctime, &at.mtime};
  const uint32_t offsets[] = {L::kAtime, L::kCtime, L::kMtime};
  for (uint32_t i = 0; i < 3; ++i) {
    put64(s + offsets[i], static_cast<uint64_t>(times[i]->sec));
    ck::store_be32(s + offsets[i] + 8, times[i]->nsec);
  }
  ck::store_be32(s + L::kRdevMajor, at.rdev_major);
  ck::store_be32(s + L::kRdevMinor, at.rdev_minor);
  ck::store_be32(s + L::kDevMajor, 0);
  ck::store_be32(s + L::kDevMinor, at.dev);
  const int32_t r = copy_out(p, va, s, sizeof s);
  return r != 0 ? error(-r) : 0;
}

// What a (dirfd, path, flags) stat call names: the attributes, or -errno.
int32_t stat_target(Process& p, int32_t dirfd, uint32_t path_va, uint32_t flags, Attributes* out) {
  char path[abi::kPathMax];
  const int32_t length = path_in(p, path_va, path, (flags & abi::kAT_EMPTY_PATH) != 0);
  if (length < 0) return length;
  if (length == 0) {  // AT_EMPTY_PATH: dirfd itself
    if (dirfd == abi::kAT_FDCWD) {
      *out = attributes_of_node(p.group().cwd);
      return 0;
    }
    const OpenFile* f = file_of(p, dirfd);
    if (f == nullptr) return -abi::kEBADF;
    *out = attributes_of(*f);
    return 0;
  }
  uint32_t node;
  const bool follow = (flags & abi::kAT_SYMLINK_NOFOLLOW) == 0;
  if (const int32_t s = lookup(p, dirfd, path, static_cast<uint32_t>(length), follow, &node); s != 0) return s;
  *out = attributes_of_node(node);
  return 0;
}

uint32_t sys_stat64(Process& p, const SyscallArgs& a) {
  Attributes at;
  if (const int32_t s = stat_target(p, abi::kAT_FDCWD, a[0], 0, &at); s != 0) return error(-s);
  return put_stat64(p, a[1], at);
}
uint32_t sys_lstat64(Process& p, const SyscallArgs& a) {
  Attributes at;
  if (const int32_t s = stat_target(p, abi::kAT_FDCWD, a[0], abi::kAT_SYMLINK_NOFOLLOW, &at); s != 0) return error(-s);
  return put_stat64(p, a[1], at);
}
uint32_t sys_fstat64(Process& p, const SyscallArgs& a) {
  const OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr) return error(abi::kEBADF);
  return put_stat64(p, a[1], attributes_of(*f));
}
uint32_t sys_fstatat64(Process& p, const SyscallArgs& a) {
  if ((a[3] & ~(abi::kAT_SYMLINK_NOFOLLOW | abi::kAT_EMPTY_PATH | abi::kAT_NO_AUTOMOUNT)) != 0)
    return error(abi::kEINVAL);
  Attributes at;
  if (const int32_t s = stat_target(p, static_cast<int32_t>(a[0]), a[1], a[3], &at); s != 0) return error(-s);
  return put_stat64(p, a[2], at);
}
// statx(dirfd, path, flags, mask, buf)
uint32_t sys_statx(Process& p, const SyscallArgs& a) {
  const uint32_t flags = a[2];
  if ((flags & ~(abi::kAT_SYMLINK_NOFOLLOW | abi::kAT_EMPTY_PATH | abi::kAT_NO_AUTOMOUNT | abi::kAT_STATX_SYNC_TYPE)) !=
          0 ||
      (flags & abi::kAT_STATX_SYNC_TYPE) == abi::kAT_STATX_SYNC_TYPE || (a[3] & 0x80000000u) != 0)
    return error(abi::kEINVAL);
  Attributes at;
  if (const int32_t s = stat_target(p, static_cast<int32_t>(a[0]), a[1], flags, &at); s != 0) return error(-s);
  return put_statx(p, a[4], at);
}

// ---- directories ----

// getdents64: ".", "..", then the children. A directory of the tree lists them in name
// order, its offset a cursor (file_system.h: an entry removed meanwhile is skipped, none
// is listed twice); /proc's lists its entries by their index.
struct DirEntry {
  const char* name;
  uint32_t name_bytes, ino;
  uint8_t type;
};

uint8_t dirent_type(NodeType t) {
  switch (t) {
    case NodeType::Directory:
      return abi::kDT_DIR;
    case NodeType::Symlink:
      return abi::kDT_LNK;
    case NodeType::Device:
      return abi::kDT_CHR;
    case NodeType::File:
      break;
  }
  return abi::kDT_REG;
}

// The entry at `offset` of directory `dir` and the offset after it; false at the end.
bool dir_entry(uint32_t dir, uint64_t offset, DirEntry* e, uint64_t* next) {
  static char proc_name[16];
  const bool proc = FileTree::synthetic(dir) || dir == tree().synthetic_mount();
  if (offset < 2) {
    const uint32_t parent = offset == 0 ? dir : (proc ? dir : tree().node(dir).parent);
    *e =
        DirEntry{offset == 0 ? "." : "..", static_cast<uint32_t>(offset + 1), (parent & 0x7fffffffu) + 1, abi::kDT_DIR};
    if (proc && offset == 1) e->ino = tree().synthetic_mount() + 1;
    *next = offset + 1;
    return true;
  }
  if (proc) {
    if (offset - 2 > 0xffff) return false;
    uint32_t id;
    NodeType type;
    if (!proc_fs().entry(dir, static_cast<uint32_t>(offset - 2), proc_name, sizeof proc_name, &id, &type)) return false;
    *e = DirEntry{proc_name, static_cast<uint32_t>(ck::StrView(proc_name).size()), id & 0x7fffffffu, dirent_type(type)};
    *next = offset + 1;
    return true;
  }
  uint32_t c;
  if (offset == 2) {
    c = tree().node(dir).first_child;
  } else {
    // A cursor must name an entry of this directory still (else: the end).
    if (offset < kDirectoryAt || offset - kDirectoryAt >= FileTree::kMaxNodes) return false;
    c = static_cast<uint32_t>(offset - kDirectoryAt);
    const Node& n = tree().node(c);
    if (!n.used || !n.linked || n.parent != dir) return false;
  }
  if (c == FileTree::kNoNode) return false;
  const Node& n = tree().node(c);
  *e = DirEntry{n.name, n.name_bytes, n.inode + 1, dirent_type(tree().node(n.inode).type)};
  *next = n.next_sibling == FileTree::kNoNode ? kDirectoryEnd : kDirectoryAt + n.next_sibling;
  return true;
}

uint32_t sys_getdents64(Process& p, const SyscallArgs& a) {
  OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr || !readable(*f)) return error(abi::kEBADF);
  if (f->kind != FileKind::Node || tree().type_of(f->node) != NodeType::Directory) return error(abi::kENOTDIR);
  namespace L = abi::dirent64_layout;
  uint8_t record[L::kName + abi::kNameMax + 1 + 8];
  uint32_t written = 0;
  const uint32_t capacity = a[2];
  DirEntry e;
  uint64_t next;
  while (f->offset != kDirectoryEnd && dir_entry(f->node, f->offset, &e, &next)) {
    const uint32_t reclen = (L::kName + e.name_bytes + 1 + 7) & ~7u;
    if (written + reclen > capacity) {
      if (written == 0) return error(abi::kEINVAL);
      break;
    }
    memset(record, 0, reclen);
    put64(record + L::kIno, e.ino);
    put64(record + L::kOff, next);
    ck::store_be16(record + L::kReclen, static_cast<uint16_t>(reclen));
    record[L::kType] = e.type;
    memcpy(record + L::kName, e.name, e.name_bytes);
    if (const int32_t s = copy_out(p, a[1] + written, record, reclen); s != 0) return error(-s);
    written += reclen;
    f->offset = next;
  }
  if (written == 0) f->offset = kDirectoryEnd;
  return written;
}

uint32_t do_readlinkat(Process& p, int32_t dirfd, uint32_t path_va, uint32_t buf, int32_t size) {
  char path[abi::kPathMax];
  const int32_t length = path_in(p, path_va, path);
  if (length < 0) return error(-length);
  if (size <= 0) return error(abi::kEINVAL);
  const char* target;
  uint32_t target_bytes;
  uint32_t node;
  if (const int32_t s = lookup(p, dirfd, path, static_cast<uint32_t>(length), false, &node); s != 0) return error(-s);
  if (tree().type_of(node) != NodeType::Symlink) return error(abi::kEINVAL);
  if (FileTree::synthetic(node)) {
    if (!proc_fs().target(node, &target, &target_bytes)) return error(abi::kENOENT);
  } else {
    const Node& n = tree().node(node);
    target = n.target;
    target_bytes = n.bytes;
  }
  const uint32_t n = target_bytes < static_cast<uint32_t>(size) ? target_bytes : static_cast<uint32_t>(size);
  if (const int32_t s = copy_out(p, buf, target, n); s != 0) return error(-s);
  return n;
}

uint32_t sys_readlink(Process& p, const SyscallArgs& a) {
  return do_readlinkat(p, abi::kAT_FDCWD, a[0], a[1], static_cast<int32_t>(a[2]));
}
uint32_t sys_readlinkat(Process& p, const SyscallArgs& a) {
  return do_readlinkat(p, static_cast<int32_t>(a[0]), a[1], a[2], static_cast<int32_t>(a[3]));
}

uint32_t do_faccessat(Process& p, int32_t dirfd, uint32_t path_va, uint32_t mode, uint32_t flags) {
  if ((mode & ~(abi::kR_OK | abi::kW_OK | abi::kX_OK)) != 0) return error(abi::kEINVAL);
  if ((flags & ~(abi::kAT_SYMLINK_NOFOLLOW | abi::kAT_EACCESS | abi::kAT_EMPTY_PATH)) != 0) return error(abi::kEINVAL);
  char path[abi::kPathMax];
  const int32_t length = path_in(p, path_va, path);
  if (length < 0) return error(-length);
  uint32_t node;
  const bool follow = (flags & abi::kAT_SYMLINK_NOFOLLOW) == 0;
  if (const int32_t s = lookup(p, dirfd, path, static_cast<uint32_t>(length), follow, &node); s != 0) return error(-s);
  // Processes run as root: read and write are allowed whatever the permissions (but not
  // writing /proc's files), execute needs an execute bit (or a directory).
  const uint32_t permissions = FileTree::synthetic(node) ? proc_fs().mode(node) : tree().node(node).mode;
  const bool directory = tree().type_of(node) == NodeType::Directory;
  if ((mode & abi::kX_OK) != 0 && !directory && (permissions & 0111) == 0) return error(abi::kEACCES);
  if ((mode & abi::kW_OK) != 0 && FileTree::synthetic(node) && !directory) return error(abi::kEACCES);
  return 0;
}

uint32_t sys_access(Process& p, const SyscallArgs& a) { return do_faccessat(p, abi::kAT_FDCWD, a[0], a[1], 0); }
uint32_t sys_faccessat(Process& p, const SyscallArgs& a) {
  return do_faccessat(p, static_cast<int32_t>(a[0]), a[1], a[2], 0);
}
uint32_t sys_faccessat2(Process& p, const SyscallArgs& a) {
  return do_faccessat(p, static_cast<int32_t>(a[0]), a[1], a[2], a[3]);
}

uint32_t sys_getcwd(Process& p, const SyscallArgs& a) {
  char path[abi::kPathMax];
  uint32_t n;
  if (FileTree::synthetic(p.group().cwd)) {  // a /proc/PID
    ck::BufferSink text(path, sizeof path);
    ck::format(text, "/proc/{}", (p.group().cwd & ~FileTree::kSyntheticBase) >> 4);
    n = static_cast<uint32_t>(text.view().size()) + 1;
  } else {
    if (!tree().node(p.group().cwd).linked) return error(abi::kENOENT);  // removed meanwhile
    n = tree().path_of(p.group().cwd, path, sizeof path);
    if (n == 0) return error(abi::kENAMETOOLONG);  // longer than a page, as Linux's
  }
  if (n > a[1]) return error(abi::kERANGE);
  if (const int32_t s = copy_out(p, a[0], path, n); s != 0) return error(-s);
  return n;
}

uint32_t sys_chdir(Process& p, const SyscallArgs& a) {
  char path[abi::kPathMax];
  const int32_t length = path_in(p, a[0], path);
  if (length < 0) return error(-length);
  uint32_t node;
  if (const int32_t s = lookup(p, abi::kAT_FDCWD, path, static_cast<uint32_t>(length), true, &node); s != 0)
    return error(-s);
  if (tree().type_of(node) != NodeType::Directory) return error(abi::kENOTDIR);
  p.group().cwd = node;
  return 0;
}

uint32_t sys_fchdir(Process& p, const SyscallArgs& a) {
  const OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr) return error(abi::kEBADF);
  if (f->kind != FileKind::Node || tree().type_of(f->node) != NodeType::Directory) return error(abi::kENOTDIR);
  p.group().cwd = f->node;
  return 0;
}

// ---- descriptors ----

uint32_t dup_at_least(Process& p, int32_t fd, uint32_t lowest, bool cloexec) {
  const uint32_t f = p.group().fds.file(fd);
  if (f == FdTable::kNone) return error(abi::kEBADF);
  if (lowest >= p.group().fds.limit()) return error(abi::kEINVAL);
  open_files().ref(f);
  const int32_t n = p.group().fds.install(f, cloexec, lowest);
  return n < 0 ? error(-n) : static_cast<uint32_t>(n);
}

uint32_t sys_dup(Process& p, const SyscallArgs& a) {
  const uint32_t f = p.group().fds.file(static_cast<int32_t>(a[0]));
  if (f == FdTable::kNone) return error(abi::kEBADF);
  open_files().ref(f);
  const int32_t n = p.group().fds.install(f, false);
  return n < 0 ? error(-n) : static_cast<uint32_t>(n);
}

uint32_t do_dup3(Process& p, int32_t from, int32_t to, uint32_t flags, bool dup2) {
  const uint32_t f = p.group().fds.file(from);
  if (f == FdTable::kNone) return error(abi::kEBADF);
  if (to < 0 || static_cast<uint32_t>(to) >= p.group().fds.limit()) return error(abi::kEBADF);
  if (from == to) return dup2 ? static_cast<uint32_t>(to) : error(abi::kEINVAL);
  open_files().ref(f);
  p.group().fds.install_at(to, f, (flags & abi::kO_CLOEXEC) != 0);
  return static_cast<uint32_t>(to);
}

uint32_t sys_dup2(Process& p, const SyscallArgs& a) {
  return do_dup3(p, static_cast<int32_t>(a[0]), static_cast<int32_t>(a[1]), 0, true);
}
uint32_t sys_dup3(Process& p, const SyscallArgs& a) {
  if ((a[2] & ~abi::kO_CLOEXEC) != 0) return error(abi::kEINVAL);
  return do_dup3(p, static_cast<int32_t>(a[0]), static_cast<int32_t>(a[1]), a[2], false);
}

uint32_t sys_fcntl64(Process& p, const SyscallArgs& a) {
  const int32_t fd = static_cast<int32_t>(a[0]);
  OpenFile* f = file_of(p, fd);
  if (f == nullptr) return error(abi::kEBADF);
  switch (a[1]) {
    case abi::kF_DUPFD:
      return dup_at_least(p, fd, a[2], false);
    case abi::kF_DUPFD_CLOEXEC:
      return dup_at_least(p, fd, a[2], true);
    case abi::kF_GETFD:
      return p.group().fds.cloexec(fd) ? abi::kFD_CLOEXEC : 0;
    case abi::kF_SETFD:
      p.group().fds.set_cloexec(fd, (a[2] & abi::kFD_CLOEXEC) != 0);
      return 0;
    case abi::kF_GETFL:
      return f->flags;
    case abi::kF_SETFL: {
      // Only these status flags change; the access mode and the rest stay.
      constexpr uint32_t kChangeable =
          abi::kO_APPEND | abi::kO_NONBLOCK | 020000 /* O_ASYNC */ | 0200000 /* O_DIRECT */ | 01000000 /* O_NOATIME */;
      f->flags = (f->flags & ~kChangeable) | (a[2] & kChangeable);
      return 0;
    }
    default:
      return error(abi::kEINVAL);
  }
}

uint32_t sys_ioctl(Process& p, const SyscallArgs& a) {
  const OpenFile* f = file_of(p, static_cast<int32_t>(a[0]));
  if (f == nullptr) return error(abi::kEBADF);
  if (is_pipe(*f) && a[1] == abi::kFIONREAD) {  // the bytes a read would find
    uint8_t n[4];
    ck::store_be32(n, pipes().bytes(f->node));
    const int32_t s = copy_out(p, a[2], n, sizeof n);
    return s != 0 ? error(-s) : 0;
  }
  if (f->kind != FileKind::Console) return error(abi::kENOTTY);
  return terminal_ioctl(p, a[1], a[2]);
}

constexpr SyscallEntry kEntries[] = {
    {abi::kOpen, sys_open},
    {abi::kOpenat, sys_openat},
    {abi::kCreat, sys_creat},
    {abi::kClose, sys_close},
    {abi::kRead, sys_read},
    {abi::kWrite, sys_write},
    {abi::kReadv, sys_readv},
    {abi::kWritev, sys_writev},
    {abi::kPread64, sys_pread64},
    {abi::kPwrite64, sys_pwrite64},
    {abi::kLseek, sys_lseek},
    {abi::kLlseek, sys_llseek},
    {abi::kStat64, sys_stat64},
    {abi::kLstat64, sys_lstat64},
    {abi::kFstat64, sys_fstat64},
    {abi::kFstatat64, sys_fstatat64},
    {abi::kStatx, sys_statx},
    {abi::kGetdents64, sys_getdents64},
    {abi::kReadlink, sys_readlink},
    {abi::kReadlinkat, sys_readlinkat},
    {abi::kAccess, sys_access},
    {abi::kFaccessat, sys_faccessat},
    {abi::kFaccessat2, sys_faccessat2},
    {abi::kGetcwd, sys_getcwd},
    {abi::kChdir, sys_chdir},
    {abi::kFchdir, sys_fchdir},
    {abi::kDup, sys_dup},
    {abi::kDup2, sys_dup2},
    {abi::kDup3, sys_dup3},
    {abi::kFcntl, sys_fcntl64},
    {abi::kFcntl64, sys_fcntl64},
    {abi::kIoctl, sys_ioctl},
};

}  // namespace

SyscallGroup file_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
