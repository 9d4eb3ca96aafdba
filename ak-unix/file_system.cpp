// The emulator's file system put together (file_system.h).
#include "file_system.h"

#include "emulator.h"
#include "files.h"
#include "physical_memory.h"
#include "proc_fs.h"

namespace unixemu {

namespace {

// File pages are the emulator's frames; a handle is the frame's physical address.
class FramePages final : public PageSource {
 public:
  bool allocate(uint32_t* handle) override { return memory().allocate(handle); }
  void release(uint32_t handle) override { memory().free(handle); }
  uint8_t* at(uint32_t handle) override { return memory().at(handle); }
};

class ProcessUsers final : public TreeUsers {
 public:
  bool uses(uint32_t node) override {
    for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
      const Process& p = processes().slot(i);
      if (p.state == ProcessState::Free) continue;
      if (p.group().cwd == node) return true;
      for (uint32_t r = 0; r < p.group().regions.count(); ++r)
        if (p.group().regions.at(r).file_node == node) return true;
    }
    return false;
  }
  void leaving(uint32_t dir, uint32_t child) override {
    const uint32_t next = file_tree().node(child).next_sibling;
    const uint64_t moved = next == FileTree::kNoNode ? kDirectoryEnd : kDirectoryAt + next;
    for (uint32_t i = 0; i < OpenFiles::kMax; ++i) {
      OpenFile& f = open_files().at(i);
      if (f.kind == FileKind::Node && f.node == dir && f.offset == kDirectoryAt + child) f.offset = moved;
    }
  }
};

FramePages g_frames;
ProcessUsers g_users;

FileTime wall_clock() {
  const uint64_t ns = uptime_ns();
  return FileTime{static_cast<int64_t>(boot_seconds()) + static_cast<int64_t>(ns / 1000000000u),
                  static_cast<uint32_t>(ns % 1000000000u)};
}

}  // namespace

bool init_file_system() {
  FileTree& tree = file_tree();
  tree.set_pages(&g_frames, memory().total() / kFilePagesShareDivisor);
  tree.set_clock(wall_clock);
  tree.set_users(&g_users);
  return tree.add_synthetic("proc", &proc_fs());
}

// files.h's hooks: the tree counts the open descriptions of its nodes.
void file_opened(uint32_t node) { file_tree().opened(node); }
void file_closed(uint32_t node) { file_tree().closed(node); }

}  // namespace unixemu
