// The emulator's root file system as a tree of nodes (paper §2: the UNIX emulator
// provides the file system its processes see): built once from the cpio archive in the
// PROM, read-only, file contents read in place. Path resolution follows Linux's rules
// (`.`, `..`, symbolic links up to 40, trailing slashes, the errors). Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

enum class NodeType : uint8_t { Directory, File, Symlink, Device };
// What a device node (NodeType::Device) is: /dev's character devices.
enum class Device : uint8_t { None, Null, Zero, Console };

struct Node {
  const char* name = nullptr;  // its last path component (not NUL-terminated for the root)
  uint32_t name_bytes = 0;
  uint32_t parent = 0;
  uint32_t first_child = 0;  // kNoNode when none; children in name order
  uint32_t next_sibling = 0;
  uint32_t mode = 0;  // st_mode: type and permission bits
  NodeType type = NodeType::Directory;
  uint32_t nlink = 0;
  const uint8_t* data = nullptr;  // a file's contents, a symlink's target
  uint32_t bytes = 0;
  Device device = Device::None;  // a device node's device
  uint32_t rdev = 0;             // and its number as stat reports it (Linux's encoding)
};

class FileTree {
 public:
  static constexpr uint32_t kMaxNodes = 1024;
  static constexpr uint32_t kNoNode = 0xffffffffu;
  static constexpr uint32_t kRoot = 0;

  // Builds the tree from a cpio "newc" archive; false (and an empty root) when the
  // archive is malformed, holds an entry of an unsupported type, or too many nodes.
  bool load(const uint8_t* archive, uint32_t bytes);

  const Node& node(uint32_t i) const { return nodes_[i]; }
  uint32_t count() const { return count_; }
  // The child of directory `dir` named name[0..bytes), or kNoNode.
  uint32_t child(uint32_t dir, const char* name, uint32_t bytes) const;

  // Resolves path[0..bytes) from directory `dir` (absolute paths from the root). A
  // symbolic link as the last component is followed only if `follow_last` or the path
  // ends in '/'. 0 and the node in *out, or -errno: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG.
  int32_t resolve(uint32_t dir, const char* path, uint32_t bytes, bool follow_last, uint32_t* out) const;

  // /dev with its character devices, as Linux has them: null (1,3), zero (1,5), tty
  // (5,0, the process's terminal: the console) and console (5,1); the archive's /dev, if
  // it has one, gets them added. False when the tree is full or /dev is not a directory.
  bool add_devices();

  // The absolute path of directory `dir` into buf (NUL-terminated); its length with the
  // NUL, or 0 when it does not fit in `capacity`.
  uint32_t path_of(uint32_t dir, char* buf, uint32_t capacity) const;

 private:
  // Adds (or finds) `name` under `dir`; kNoNode when the tree is full.
  uint32_t add(uint32_t dir, const char* name, uint32_t bytes);

  Node nodes_[kMaxNodes];
  uint32_t count_ = 0;
};

}  // namespace unixemu
