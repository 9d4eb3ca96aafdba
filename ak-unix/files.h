// Open files and file descriptors (paper §2: the emulator implements the UNIX file
// interface its processes call): an open file description (what open() creates; dup()
// shares it, with its offset) and each process's descriptor table, as Linux has them.
#pragma once

#include <stdint.h>

namespace unixemu {

// Node: a file or directory of the tree; Null and Zero: /dev/null and /dev/zero (their
// node kept for fstat); Console: the machine's console (also /dev/tty and /dev/console);
// PipeRead and PipeWrite: a pipe's ends (pipe.h; `node` is the pipe's index).
// ConsoleStream: the console as a plain output stream, not a terminal (no ioctl, no
// reading): what the test runner gives its programs for standard output and error, as
// the oracle's file is (stdio then buffers as it does on Linux when output is redirected).
enum class FileKind : uint8_t { Free, Console, ConsoleStream, Node, Null, Zero, PipeRead, PipeWrite };

struct OpenFile {
  FileKind kind = FileKind::Free;
  uint32_t node = 0;  // FileKind::Node: the file tree's node; a pipe's end: the pipe
  uint64_t offset = 0;
  uint32_t flags = 0;  // O_ACCMODE, O_APPEND, O_NONBLOCK ... as open() was given them
  uint32_t refs = 0;   // descriptors that share it
};

// The file tree is told when a description of one of its nodes opens and closes
// (file_system.cpp): a file removed while open lives until its last one closes.
void file_opened(uint32_t node);
void file_closed(uint32_t node);

// The emulator's open file descriptions, shared by all its processes.
class OpenFiles {
 public:
  static constexpr uint32_t kMax = 2048;
  static constexpr uint32_t kNone = 0xffffffffu;
  // A new description with one reference; kNone when all are in use (ENFILE).
  uint32_t open(FileKind kind, uint32_t node, uint32_t flags);
  OpenFile& at(uint32_t i) { return files_[i]; }
  void ref(uint32_t i) { files_[i].refs += 1; }
  void unref(uint32_t i);

 private:
  OpenFile files_[kMax];
  uint32_t hand_ = 0;
};
// Inline: every read and write looks its descriptor up (issue 18 item 11).
extern OpenFiles g_open_files;
inline OpenFiles& open_files() { return g_open_files; }

class FdTable {
 public:
  static constexpr uint32_t kMaxFds = 4096;        // RLIMIT_NOFILE's hard limit, as Linux's default
  static constexpr uint32_t kDefaultLimit = 1024;  // and its soft one
  static constexpr uint32_t kNone = OpenFiles::kNone;

  // The description behind `fd`, or kNone when it is not open.
  uint32_t file(int32_t fd) const {
    return fd >= 0 && static_cast<uint32_t>(fd) < kMaxFds && fds_[fd].used ? fds_[fd].file : kNone;
  }
  bool cloexec(int32_t fd) const { return fds_[fd].cloexec; }
  void set_cloexec(int32_t fd, bool on) { fds_[fd].cloexec = on; }
  // Puts `file` (one reference, which the table takes) at the lowest free descriptor
  // >= `lowest`; the descriptor or -EMFILE.
  int32_t install(uint32_t file, bool cloexec, uint32_t lowest = 0);
  // Puts `file` at exactly `fd` (closing what was there; the table takes a reference).
  void install_at(int32_t fd, uint32_t file, bool cloexec);
  // 0 or -EBADF.
  int32_t close(int32_t fd);
  void close_all();
  // execve's: closes the descriptors marked close-on-exec.
  void close_on_exec();
  // fork's: the same descriptors as `parent` (this table empty), sharing its descriptions
  // (offsets and all), with its close-on-exec marks and limit.
  void inherit(const FdTable& parent);
  // RLIMIT_NOFILE's soft limit: descriptors at or above it are not handed out.
  uint32_t limit() const { return limit_ != 0 ? limit_ : kDefaultLimit; }
  // Above every descriptor in use (select's bound on the descriptors it looks at).
  uint32_t top() const { return top_; }
  void set_limit(uint32_t limit) { limit_ = limit < kMaxFds ? limit : kMaxFds; }

 private:
  // Two bytes a descriptor (the table is 8 KiB of each of the 64 process slots).
  struct Slot {
    uint16_t file : 14 = 0;
    uint16_t used : 1 = 0;
    uint16_t cloexec : 1 = 0;
  };
  static_assert(OpenFiles::kMax <= 0x4000, "a slot holds a description's index in 14 bits");
  static_assert(sizeof(Slot) == 2);
  Slot fds_[kMaxFds];
  // Above every descriptor in use (a bound, not kept exact on close): the loops over the
  // table stop here, not at kMaxFds.
  uint32_t top_ = 0;
  // 0: kDefaultLimit (zero-initialized, so that the process table lies in .bss, not in
  // the image).
  uint32_t limit_ = 0;
};

}  // namespace unixemu
