// The root file system's tree (file_tree.h).
#include "file_tree.h"

#include "cpio.h"
#include "linux_abi.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

bool same(const char* a, uint32_t a_bytes, const char* b, uint32_t b_bytes) {
  if (a_bytes != b_bytes) return false;
  for (uint32_t i = 0; i < a_bytes; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Byte order of names, shorter first on a common prefix (getdents64's order).
bool before(const char* a, uint32_t a_bytes, const char* b, uint32_t b_bytes) {
  for (uint32_t i = 0; i < a_bytes && i < b_bytes; ++i)
    if (a[i] != b[i]) return static_cast<uint8_t>(a[i]) < static_cast<uint8_t>(b[i]);
  return a_bytes < b_bytes;
}

// An empty directory `name` under `parent` (its nlink: itself and its ".").
Node directory(const char* name, uint32_t bytes, uint32_t parent) {
  return Node{.name = name,
              .name_bytes = bytes,
              .parent = parent,
              .first_child = FileTree::kNoNode,
              .next_sibling = FileTree::kNoNode,
              .mode = abi::kS_IFDIR | 0755,
              .type = NodeType::Directory,
              .nlink = 2};
}

struct Text {
  const char* p;
  uint32_t n;
  void skip_slashes() {
    while (n != 0 && *p == '/') {
      ++p;
      --n;
    }
  }
  bool only_slashes() const {
    for (uint32_t i = 0; i < n; ++i)
      if (p[i] != '/') return false;
    return true;
  }
};

}  // namespace

uint32_t FileTree::child(uint32_t dir, const char* name, uint32_t bytes) const {
  for (uint32_t c = nodes_[dir].first_child; c != kNoNode; c = nodes_[c].next_sibling)
    if (same(nodes_[c].name, nodes_[c].name_bytes, name, bytes)) return c;
  return kNoNode;
}

uint32_t FileTree::add(uint32_t dir, const char* name, uint32_t bytes) {
  if (const uint32_t existing = child(dir, name, bytes); existing != kNoNode) return existing;
  if (count_ == kMaxNodes) return kNoNode;
  const uint32_t n = count_++;
  nodes_[n] = directory(name, bytes, dir);
  nodes_[dir].nlink += 1;  // the new directory's ".."; corrected below if it is not one
  uint32_t* link = &nodes_[dir].first_child;
  while (*link != kNoNode && before(nodes_[*link].name, nodes_[*link].name_bytes, name, bytes))
    link = &nodes_[*link].next_sibling;
  nodes_[n].next_sibling = *link;
  *link = n;
  return n;
}

bool FileTree::load(const uint8_t* archive, uint32_t bytes) {
  count_ = 1;
  nodes_[kRoot] = directory("/", 1, kRoot);
  CpioReader reader(archive, bytes);
  CpioEntry e;
  bool ok = true;
  while (ok && reader.next(&e)) {
    // "./a/b", "a/b", "/a/b" and "." all name paths from the root.
    Text path{e.name, e.name_bytes};
    uint32_t at = kRoot;
    for (path.skip_slashes(); ok && path.n != 0; path.skip_slashes()) {
      uint32_t c = 0;
      while (c < path.n && path.p[c] != '/') ++c;
      const Text name{path.p, c};
      path.p += c;
      path.n -= c;
      if (same(name.p, name.n, ".", 1)) continue;
      ok = !same(name.p, name.n, "..", 2) && c <= abi::kNameMax && nodes_[at].type == NodeType::Directory;
      if (ok) at = add(at, name.p, name.n);
      ok = ok && at != kNoNode;
    }
    if (!ok || at == kRoot) continue;  // "." itself: the root keeps its mode
    Node& n = nodes_[at];
    const uint32_t type = e.mode & abi::kS_IFMT;
    if (type == abi::kS_IFDIR) {
      n.mode = e.mode;
    } else if (type == abi::kS_IFREG || type == abi::kS_IFLNK) {
      ok = n.first_child == kNoNode;  // a file cannot have been a directory already
      if (n.type == NodeType::Directory) nodes_[n.parent].nlink -= 1;
      n.type = type == abi::kS_IFREG ? NodeType::File : NodeType::Symlink;
      n.mode = e.mode;
      n.nlink = 1;
      n.data = e.data;
      n.bytes = e.data_bytes;
    } else {
      ok = false;  // devices, fifos and sockets have no place in this tree
    }
  }
  if (!ok || reader.error()) {
    count_ = 1;
    nodes_[kRoot].first_child = kNoNode;
    nodes_[kRoot].nlink = 2;
    return false;
  }
  return true;
}

bool FileTree::add_devices() {
  struct Spec {
    const char* name;
    Device device;
    uint32_t major, minor, permissions;
  };
  static constexpr Spec kDevices[] = {{"console", Device::Console, 5, 1, 0600},
                                      {"null", Device::Null, 1, 3, 0666},
                                      {"tty", Device::Console, 5, 0, 0666},
                                      {"zero", Device::Zero, 1, 5, 0666}};
  const uint32_t dev = add(kRoot, "dev", 3);
  if (dev == kNoNode || nodes_[dev].type != NodeType::Directory) return false;
  for (const Spec& s : kDevices) {
    uint32_t bytes = 0;
    while (s.name[bytes] != '\0') ++bytes;
    const uint32_t existing = child(dev, s.name, bytes);
    if (existing != kNoNode && nodes_[existing].type != NodeType::Device) return false;
    const uint32_t n = add(dev, s.name, bytes);
    if (n == kNoNode) return false;
    if (nodes_[n].type == NodeType::Directory) nodes_[dev].nlink -= 1;  // add() counted it as one
    Node& d = nodes_[n];
    d.type = NodeType::Device;
    d.mode = abi::kS_IFCHR | s.permissions;
    d.nlink = 1;
    d.device = s.device;
    d.rdev = s.major << 8 | s.minor;  // new_encode_dev for minors below 256
  }
  return true;
}

int32_t FileTree::resolve(uint32_t dir, const char* path, uint32_t bytes, bool follow_last, uint32_t* out) const {
  if (bytes == 0) return -abi::kENOENT;
  // What is left to walk: the current text and, under it, the rests of the paths whose
  // symbolic links are being followed (each link pushes one).
  Text stack[abi::kSymlinkFollowsMax + 1];
  uint32_t depth = 0, follows = 0;
  Text text{path, bytes};
  uint32_t at = path[0] == '/' ? kRoot : dir;
  bool must_be_directory = false;
  for (;;) {
    text.skip_slashes();
    if (text.n == 0) {
      if (depth == 0) break;
      text = stack[--depth];
      continue;
    }
    uint32_t c = 0;
    while (c < text.n && text.p[c] != '/') ++c;
    const Text name{text.p, c};
    text.p += c;
    text.n -= c;
    if (c > abi::kNameMax) return -abi::kENAMETOOLONG;
    if (nodes_[at].type != NodeType::Directory) return -abi::kENOTDIR;
    // The last component: nothing but slashes after it, here and in the rests stacked.
    bool last = text.only_slashes();
    for (uint32_t i = 0; last && i < depth; ++i) last = stack[i].only_slashes();
    const bool slash_after = text.n != 0 || (depth != 0 && stack[depth - 1].n != 0);
    if (last && slash_after) must_be_directory = true;
    if (same(name.p, name.n, ".", 1)) continue;
    if (same(name.p, name.n, "..", 2)) {
      at = nodes_[at].parent;
      continue;
    }
    const uint32_t found = child(at, name.p, name.n);
    if (found == kNoNode) return -abi::kENOENT;
    const Node& n = nodes_[found];
    if (n.type == NodeType::Symlink && (!last || follow_last || must_be_directory)) {
      if (++follows > abi::kSymlinkFollowsMax) return -abi::kELOOP;
      if (n.bytes == 0) return -abi::kENOENT;
      if (text.n != 0) stack[depth++] = text;
      text = Text{reinterpret_cast<const char*>(n.data), n.bytes};
      if (text.p[0] == '/') at = kRoot;
      continue;
    }
    at = found;
  }
  if (must_be_directory && nodes_[at].type != NodeType::Directory) return -abi::kENOTDIR;
  *out = at;
  return 0;
}

uint32_t FileTree::path_of(uint32_t dir, char* buf, uint32_t capacity) const {
  if (dir == kRoot) {
    if (capacity < 2) return 0;
    buf[0] = '/';
    buf[1] = '\0';
    return 2;
  }
  // Its length first, then written from the end.
  uint32_t length = 0;
  for (uint32_t n = dir; n != kRoot; n = nodes_[n].parent) length += 1 + nodes_[n].name_bytes;
  if (length + 1 > capacity) return 0;
  buf[length] = '\0';
  uint32_t end = length;
  for (uint32_t n = dir; n != kRoot; n = nodes_[n].parent) {
    end -= nodes_[n].name_bytes;
    for (uint32_t i = 0; i < nodes_[n].name_bytes; ++i) buf[end + i] = nodes_[n].name[i];
    buf[--end] = '/';
  }
  return length + 1;
}

}  // namespace unixemu
