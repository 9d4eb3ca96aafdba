// Open files and descriptor tables (files.h).
#include "files.h"

#include "linux_abi.h"
#include "pipe.h"

namespace unixemu {

namespace {

// The descriptions whose node is the file tree's (a device's too: /dev/null removed while
// open keeps its node for fstat); the console's own description has none.
bool on_tree(FileKind kind) { return kind == FileKind::Node || kind == FileKind::Null || kind == FileKind::Zero; }
}  // namespace

OpenFiles g_open_files;

uint32_t OpenFiles::open(FileKind kind, uint32_t node, uint32_t flags) {
  for (uint32_t n = 0; n < kMax; ++n) {
    const uint32_t i = (hand_ + n) % kMax;
    if (files_[i].kind != FileKind::Free) continue;
    files_[i] = OpenFile{.kind = kind, .node = node, .offset = 0, .flags = flags, .refs = 1};
    hand_ = i + 1;
    if (on_tree(kind)) file_opened(node);
    return i;
  }
  return kNone;
}

void OpenFiles::unref(uint32_t i) {
  if (files_[i].refs == 0 || --files_[i].refs != 0) return;
  const FileKind kind = files_[i].kind;
  files_[i].kind = FileKind::Free;
  if (on_tree(kind)) file_closed(files_[i].node);
  if (kind == FileKind::PipeRead || kind == FileKind::PipeWrite)
    pipes().end_closed(files_[i].node, kind == FileKind::PipeWrite);
}

int32_t FdTable::install(uint32_t file, bool cloexec, uint32_t lowest) {
  for (uint32_t fd = lowest; fd < limit(); ++fd) {
    if (fds_[fd].used) continue;
    fds_[fd] = Slot{.file = static_cast<uint16_t>(file), .used = true, .cloexec = cloexec};
    if (fd >= top_) top_ = fd + 1;
    return static_cast<int32_t>(fd);
  }
  open_files().unref(file);
  return -linux_abi::kEMFILE;
}

void FdTable::install_at(int32_t fd, uint32_t file, bool cloexec) {
  if (fds_[fd].used) open_files().unref(fds_[fd].file);
  fds_[fd] = Slot{.file = static_cast<uint16_t>(file), .used = true, .cloexec = cloexec};
  if (static_cast<uint32_t>(fd) >= top_) top_ = static_cast<uint32_t>(fd) + 1;
}

int32_t FdTable::close(int32_t fd) {
  if (file(fd) == kNone) return -linux_abi::kEBADF;
  open_files().unref(fds_[fd].file);
  fds_[fd] = Slot{};
  return 0;
}

void FdTable::close_all() {
  for (uint32_t fd = 0; fd < top_; ++fd)
    if (fds_[fd].used) close(static_cast<int32_t>(fd));
  top_ = 0;
}

void FdTable::close_on_exec() {
  for (uint32_t fd = 0; fd < top_; ++fd)
    if (fds_[fd].used && fds_[fd].cloexec) close(static_cast<int32_t>(fd));
}

void FdTable::inherit(const FdTable& parent) {
  for (uint32_t fd = 0; fd < parent.top_; ++fd) {
    fds_[fd] = parent.fds_[fd];
    if (fds_[fd].used) open_files().ref(fds_[fd].file);
  }
  top_ = parent.top_;
  limit_ = parent.limit_;
}

}  // namespace unixemu
