// The emulator's file tree (file_tree.h).
#include "file_tree.h"

#include <string.h>

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

constexpr uint32_t kPage = kFilePageBytes;

}  // namespace

// ---- pages ----

bool FileTree::Budget::allocate(uint32_t* handle) {
  if (tree->pages_used_ >= tree->page_limit_) tree->collect();
  if (tree->pages_used_ >= tree->page_limit_ || source == nullptr) return false;
  if (!source->allocate(handle)) return false;
  tree->pages_used_ += 1;
  return true;
}

void FileTree::Budget::release(uint32_t handle) {
  source->release(handle);
  tree->pages_used_ -= 1;
}

void FileTree::set_pages(PageSource* source, uint32_t limit) {
  budget_.tree = this;
  budget_.source = source;
  page_limit_ = limit;
}

FileTime FileTree::now() const { return now_ != nullptr ? now_() : FileTime{}; }

// ---- nodes ----

uint32_t FileTree::new_node() {
  uint32_t n = kNoNode;
  if (free_list_ == kNoNode && high_ == kMaxNodes) collect();
  if (free_list_ != kNoNode) {
    n = free_list_;
    free_list_ = nodes_[n].next_sibling;
  } else if (high_ < kMaxNodes) {
    n = high_++;
  } else {
    return kNoNode;
  }
  const FileTime t = now();
  nodes_[n] = Node{};
  nodes_[n].inode = n;
  nodes_[n].first_child = nodes_[n].next_sibling = kNoNode;
  nodes_[n].used = true;
  nodes_[n].atime = nodes_[n].mtime = nodes_[n].ctime = t;
  used_nodes_ += 1;
  return n;
}

void FileTree::attach(uint32_t dir, uint32_t n) {
  Node& c = nodes_[n];
  c.parent = dir;
  c.linked = true;
  uint32_t* link = &nodes_[dir].first_child;
  while (*link != kNoNode && before(nodes_[*link].name, nodes_[*link].name_bytes, c.name, c.name_bytes))
    link = &nodes_[*link].next_sibling;
  c.next_sibling = *link;
  *link = n;
}

void FileTree::detach(uint32_t n) {
  const uint32_t dir = nodes_[n].parent;
  if (users_ != nullptr) users_->leaving(dir, n);
  uint32_t* link = &nodes_[dir].first_child;
  while (*link != kNoNode && *link != n) link = &nodes_[*link].next_sibling;
  if (*link == n) *link = nodes_[n].next_sibling;
  nodes_[n].next_sibling = kNoNode;
  nodes_[n].linked = false;
}

void FileTree::free_node(uint32_t n) {
  Node& x = nodes_[n];
  if (x.name_owned) names_.release(x.name, x.name_bytes);
  if (x.target != nullptr) names_.release(x.target, x.bytes);
  if (x.inode == n) file_pages::release_from(x.pages, budget_, 0);
  x = Node{};
  x.next_sibling = free_list_;
  free_list_ = n;
  used_nodes_ -= 1;
}

void FileTree::release_if_unused(uint32_t n) {
  const Node& x = nodes_[n];
  if (!x.used || x.linked || x.nlink != 0 || x.opens != 0) return;
  if (users_ != nullptr && users_->uses(n)) return;
  free_node(n);
}

void FileTree::collect() {
  for (uint32_t n = 0; n < high_; ++n)
    if (nodes_[n].used && nodes_[n].inode == n) release_if_unused(n);
}

void FileTree::opened(uint32_t node) {
  if (!synthetic(node) && node < high_) nodes_[node].opens += 1;
}

void FileTree::closed(uint32_t node) {
  if (synthetic(node) || node >= high_ || nodes_[node].opens == 0) return;
  nodes_[node].opens -= 1;
  release_if_unused(node);
}

void FileTree::changed(uint32_t node) { nodes_[node].ctime = now(); }

// ---- lookups ----

uint32_t FileTree::child(uint32_t dir, const char* name, uint32_t bytes) const {
  for (uint32_t c = nodes_[dir].first_child; c != kNoNode; c = nodes_[c].next_sibling)
    if (same(nodes_[c].name, nodes_[c].name_bytes, name, bytes)) return c;
  return kNoNode;
}

NodeType FileTree::type_of(uint32_t id) const {
  if (synthetic(id)) return synthetic_->type(id);
  return nodes_[id].type;
}

uint32_t FileTree::parent_of(uint32_t id) const {
  if (synthetic(id)) return synthetic_->parent(id);
  return nodes_[id].parent;
}

// The (inode) node `name` names in `dir`, synthetic ones included; kNoNode when none.
uint32_t FileTree::child_of(uint32_t dir, const char* name, uint32_t bytes) const {
  if (synthetic(dir) || (dir == synthetic_mount_ && synthetic_ != nullptr)) return synthetic_->child(dir, name, bytes);
  if (!nodes_[dir].linked) return kNoNode;  // a removed directory holds nothing
  const uint32_t c = child(dir, name, bytes);
  return c == kNoNode ? kNoNode : nodes_[c].inode;
}

uint32_t FileTree::add(uint32_t dir, const char* name, uint32_t bytes) {
  if (const uint32_t existing = child(dir, name, bytes); existing != kNoNode) return existing;
  const uint32_t n = new_named_node(name, bytes);
  if (n == kNoNode) return kNoNode;
  Node& x = nodes_[n];
  x.mode = abi::kS_IFDIR | 0755;
  x.type = NodeType::Directory;
  x.nlink = 2;
  nodes_[dir].nlink += 1;  // the new directory's ".."; corrected below if it is not one
  attach(dir, n);
  return n;
}

bool FileTree::load(ImageReader& archive) {
  high_ = 0;
  free_list_ = kNoNode;
  used_nodes_ = 0;
  names_.clear();
  image_ = &archive;
  new_node();
  nodes_[kRoot].name = "/";
  nodes_[kRoot].name_bytes = 1;
  nodes_[kRoot].parent = kRoot;
  nodes_[kRoot].mode = abi::kS_IFDIR | 0755;
  nodes_[kRoot].nlink = 2;
  nodes_[kRoot].linked = true;
  CpioReader reader(archive);
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
    const FileTime t{e.mtime, 0};
    n.atime = n.mtime = n.ctime = t;
    const uint32_t type = e.mode & abi::kS_IFMT;
    if (type == abi::kS_IFDIR) {
      n.mode = e.mode;
    } else if (type == abi::kS_IFREG || type == abi::kS_IFLNK) {
      ok = n.first_child == kNoNode;  // a file cannot have been a directory already
      if (n.type == NodeType::Directory) nodes_[n.parent].nlink -= 1;
      n.type = type == abi::kS_IFREG ? NodeType::File : NodeType::Symlink;
      n.mode = e.mode;
      n.nlink = 1;
      n.bytes = e.data_bytes;
      n.size = e.data_bytes;
      if (type == abi::kS_IFREG) {
        n.image = e.data_offset;
      } else {  // the target, copied (path resolution never reads the image)
        char* target = names_.allocate(e.data_bytes);
        ok = target != nullptr && archive.copy(e.data_offset, target, e.data_bytes);
        n.target = target;
      }
    } else {
      ok = false;  // devices, fifos and sockets have no place in this tree
    }
  }
  if (!ok || reader.error()) {
    high_ = 1;
    used_nodes_ = 1;
    free_list_ = kNoNode;
    nodes_[kRoot].first_child = kNoNode;
    nodes_[kRoot].nlink = 2;
    names_.clear();
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

bool FileTree::add_synthetic(const char* name, SyntheticTree* provider) {
  uint32_t bytes = 0;
  while (name[bytes] != '\0') ++bytes;
  const uint32_t existing = child(kRoot, name, bytes);
  if (existing != kNoNode && (nodes_[existing].type != NodeType::Directory || nodes_[existing].first_child != kNoNode))
    return false;
  const uint32_t n = add(kRoot, name, bytes);
  if (n == kNoNode) return false;
  nodes_[n].mode = abi::kS_IFDIR | 0555;
  synthetic_ = provider;
  synthetic_mount_ = n;
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
    if (type_of(at) != NodeType::Directory) return -abi::kENOTDIR;
    // The last component: nothing but slashes after it, here and in the rests stacked.
    bool last = text.only_slashes();
    for (uint32_t i = 0; last && i < depth; ++i) last = stack[i].only_slashes();
    const bool slash_after = text.n != 0 || (depth != 0 && stack[depth - 1].n != 0);
    if (last && slash_after) must_be_directory = true;
    if (same(name.p, name.n, ".", 1)) continue;
    if (same(name.p, name.n, "..", 2)) {
      if (!synthetic(at) && !nodes_[at].linked) return -abi::kENOENT;
      at = parent_of(at);
      continue;
    }
    const uint32_t found = child_of(at, name.p, name.n);
    if (found == kNoNode) return -abi::kENOENT;
    if (type_of(found) == NodeType::Symlink && (!last || follow_last || must_be_directory)) {
      if (++follows > abi::kSymlinkFollowsMax) return -abi::kELOOP;
      const char* target;
      uint32_t target_bytes;
      if (synthetic(found)) {
        if (!synthetic_->target(found, &target, &target_bytes)) return -abi::kENOENT;
      } else {
        target = nodes_[found].target;
        target_bytes = nodes_[found].bytes;
      }
      if (target_bytes == 0) return -abi::kENOENT;
      if (text.n != 0) stack[depth++] = text;
      text = Text{target, target_bytes};
      if (text.p[0] == '/') at = kRoot;
      continue;
    }
    at = found;
  }
  if (must_be_directory && type_of(at) != NodeType::Directory) return -abi::kENOTDIR;
  *out = at;
  return 0;
}

int32_t FileTree::resolve_last(uint32_t dir, const char* path, uint32_t bytes, LastComponent* out) const {
  if (bytes == 0) return -abi::kENOENT;
  uint32_t end = bytes;
  while (end > 0 && path[end - 1] == '/') --end;
  out->trailing_slash = end != bytes;
  uint32_t start = end;
  while (start > 0 && path[start - 1] != '/') --start;
  out->name = path + start;
  out->bytes = end - start;
  if (out->bytes > abi::kNameMax) return -abi::kENAMETOOLONG;
  if (start == 0) {  // no directory part: `dir` itself, or the root for "/"
    out->dir = path[0] == '/' ? kRoot : dir;
    return 0;
  }
  uint32_t d;
  if (const int32_t s = resolve(dir, path, start, true, &d); s != 0) return s;
  if (type_of(d) != NodeType::Directory) return -abi::kENOTDIR;
  out->dir = d;
  return 0;
}

uint32_t FileTree::path_of(uint32_t dir, char* buf, uint32_t capacity) const {
  if (synthetic(dir)) {  // /proc's directories: the mount point, then the name the provider keeps
    return 0;
  }
  if (dir == kRoot) {
    if (capacity < 2) return 0;
    buf[0] = '/';
    buf[1] = '\0';
    return 2;
  }
  // Its length first, then written from the end.
  uint32_t length = 0;
  for (uint32_t n = dir; n != kRoot; n = nodes_[n].parent) {
    if (!nodes_[n].linked) return 0;
    length += 1 + nodes_[n].name_bytes;
  }
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

// ---- changes ----

int32_t FileTree::check_new(uint32_t dir, const char* name, uint32_t bytes) const {
  if (synthetic(dir) || dir == synthetic_mount_) return -abi::kEPERM;
  if (nodes_[dir].type != NodeType::Directory) return -abi::kENOTDIR;
  if (!nodes_[dir].linked) return -abi::kENOENT;
  if (bytes == 0 || (bytes == 1 && name[0] == '.') || (bytes == 2 && name[0] == '.' && name[1] == '.'))
    return -abi::kEEXIST;
  if (bytes > abi::kNameMax) return -abi::kENAMETOOLONG;
  if (child(dir, name, bytes) != kNoNode) return -abi::kEEXIST;
  return 0;
}

uint32_t FileTree::new_named_node(const char* name, uint32_t bytes) {
  const uint32_t n = new_node();
  if (n == kNoNode) return kNoNode;
  char* copy = names_.copy(name, bytes);
  if (copy == nullptr) {
    free_node(n);
    return kNoNode;
  }
  Node& x = nodes_[n];
  x.name = copy;
  x.name_bytes = bytes;
  x.name_owned = true;
  return n;
}

int32_t FileTree::make(uint32_t dir, const char* name, uint32_t bytes, uint32_t mode, uint32_t* out) {
  if (const int32_t s = check_new(dir, name, bytes); s != 0) return s;
  const uint32_t n = new_named_node(name, bytes);
  if (n == kNoNode) return -abi::kENOSPC;
  Node& x = nodes_[n];
  x.mode = mode;
  if ((mode & abi::kS_IFMT) == abi::kS_IFDIR) {
    x.type = NodeType::Directory;
    x.nlink = 2;
    nodes_[dir].nlink += 1;
  } else {
    x.type = NodeType::File;
    x.nlink = 1;
  }
  attach(dir, n);
  nodes_[dir].mtime = nodes_[dir].ctime = x.ctime;
  *out = n;
  return 0;
}

int32_t FileTree::make_symlink(uint32_t dir, const char* name, uint32_t bytes, const char* target,
                               uint32_t target_bytes, uint32_t* out) {
  if (const int32_t s = check_new(dir, name, bytes); s != 0) return s;
  char* text = names_.copy(target, target_bytes);
  if (text == nullptr) return -abi::kENOSPC;
  uint32_t n;
  if (const int32_t s = make(dir, name, bytes, abi::kS_IFLNK | 0777, &n); s != 0) {
    names_.release(text, target_bytes);
    return s;
  }
  Node& x = nodes_[n];
  x.type = NodeType::Symlink;
  x.target = text;
  x.bytes = target_bytes;
  x.size = target_bytes;
  *out = n;
  return 0;
}

int32_t FileTree::link(uint32_t node, uint32_t dir, const char* name, uint32_t bytes) {
  if (const int32_t s = check_new(dir, name, bytes); s != 0) return s;
  if (synthetic(node)) return -abi::kEXDEV;
  const uint32_t inode = nodes_[node].inode;
  if (nodes_[inode].type == NodeType::Directory) return -abi::kEPERM;
  // A file removed while open has no name to link again (Linux: ENOENT).
  if (nodes_[inode].nlink == 0) return -abi::kENOENT;
  if (nodes_[inode].nlink >= 0xffff) return -abi::kEMLINK;
  const uint32_t n = new_named_node(name, bytes);
  if (n == kNoNode) return -abi::kENOSPC;
  Node& x = nodes_[n];
  x.inode = inode;
  x.type = nodes_[inode].type;
  attach(dir, n);
  nodes_[inode].nlink += 1;
  nodes_[inode].ctime = x.ctime;
  nodes_[dir].mtime = nodes_[dir].ctime = x.ctime;
  return 0;
}

bool FileTree::inside(uint32_t n, uint32_t ancestor) const {
  for (;;) {
    if (n == ancestor) return true;
    if (n == kRoot || !nodes_[n].linked) return false;
    n = nodes_[n].parent;
  }
}

int32_t FileTree::remove(const LastComponent& last, bool directory) {
  const uint32_t dir = last.dir;
  if (synthetic(dir) || dir == synthetic_mount_) {
    if (child_of(dir, last.name, last.bytes) == kNoNode) return -abi::kENOENT;
    return -abi::kEPERM;
  }
  if (last.bytes == 0) return directory ? -abi::kEBUSY : -abi::kEISDIR;
  if (last.is_dot()) return directory ? -abi::kEINVAL : -abi::kEISDIR;
  if (last.is_dot_dot()) return directory ? -abi::kENOTEMPTY : -abi::kEISDIR;
  if (!nodes_[dir].linked) return -abi::kENOENT;
  const uint32_t entry = child(dir, last.name, last.bytes);
  if (entry == kNoNode) return -abi::kENOENT;
  const uint32_t inode = nodes_[entry].inode;
  Node& x = nodes_[inode];
  const bool is_dir = x.type == NodeType::Directory;
  if (!directory && last.trailing_slash) return is_dir ? -abi::kEISDIR : -abi::kENOTDIR;
  if (directory && !is_dir) return -abi::kENOTDIR;
  if (!directory && is_dir) return -abi::kEISDIR;
  if (is_dir && inode == synthetic_mount_) return -abi::kEBUSY;
  if (is_dir && x.first_child != kNoNode) return -abi::kENOTEMPTY;
  const FileTime t = now();
  detach(entry);
  if (is_dir) {
    x.nlink = 0;
    nodes_[dir].nlink -= 1;
  } else {
    x.nlink -= 1;
  }
  x.ctime = t;
  nodes_[dir].mtime = nodes_[dir].ctime = t;
  if (entry != inode) free_node(entry);  // a further hard link: only a name
  release_if_unused(inode);
  return 0;
}

int32_t FileTree::rename(const LastComponent& from, const LastComponent& to, uint32_t flags) {
  if ((flags & ~(kRenameNoReplace | kRenameExchange)) != 0) return -abi::kEINVAL;
  if ((flags & kRenameNoReplace) != 0 && (flags & kRenameExchange) != 0) return -abi::kEINVAL;
  const bool exchange = (flags & kRenameExchange) != 0;
  if (synthetic(from.dir) || synthetic(to.dir) || from.dir == synthetic_mount_ || to.dir == synthetic_mount_)
    return -abi::kEXDEV;
  auto normal = [](const LastComponent& l) { return l.bytes != 0 && !l.is_dot() && !l.is_dot_dot(); };
  if (!normal(from) || !normal(to)) return -abi::kEBUSY;
  if (!nodes_[from.dir].linked || !nodes_[to.dir].linked) return -abi::kENOENT;
  const uint32_t o = child(from.dir, from.name, from.bytes);
  if (o == kNoNode) return -abi::kENOENT;
  const uint32_t t = child(to.dir, to.name, to.bytes);
  if (t != kNoNode && (flags & kRenameNoReplace) != 0) return -abi::kEEXIST;
  if (t == kNoNode && exchange) return -abi::kENOENT;
  const uint32_t oi = nodes_[o].inode;
  const bool o_dir = nodes_[oi].type == NodeType::Directory;
  if (!exchange && !o_dir && (from.trailing_slash || to.trailing_slash)) return -abi::kENOTDIR;
  // Neither may end up inside itself.
  if (o_dir && inside(to.dir, oi)) return -abi::kEINVAL;
  const uint32_t ti = t == kNoNode ? kNoNode : nodes_[t].inode;
  // /proc's mount point neither moves nor is replaced (Linux: EBUSY for a mount point).
  if (synthetic_mount_ != kNoNode && (oi == synthetic_mount_ || ti == synthetic_mount_)) return -abi::kEBUSY;
  const bool t_dir = ti != kNoNode && nodes_[ti].type == NodeType::Directory;
  if (t_dir && inside(from.dir, ti)) return exchange ? -abi::kEINVAL : -abi::kENOTEMPTY;
  if (oi == ti) return 0;  // the same file under both names: nothing happens
  if (t != kNoNode && !exchange) {
    if (o_dir && !t_dir) return -abi::kENOTDIR;
    if (!o_dir && t_dir) return -abi::kEISDIR;
    if (t_dir && nodes_[ti].first_child != kNoNode) return -abi::kENOTEMPTY;
  }
  // Names first (the one step that can fail), then the moves.
  char* new_name = names_.copy(to.name, to.bytes);
  if (new_name == nullptr) return -abi::kENOSPC;
  char* other_name = nullptr;
  if (exchange) {
    other_name = names_.copy(from.name, from.bytes);
    if (other_name == nullptr) {
      names_.release(new_name, to.bytes);
      return -abi::kENOSPC;
    }
  }
  const FileTime now_t = now();
  auto rename_entry = [&](uint32_t e, uint32_t dir, char* name, uint32_t bytes) {
    Node& x = nodes_[e];
    if (x.name_owned) names_.release(x.name, x.name_bytes);
    x.name = name;
    x.name_bytes = bytes;
    x.name_owned = true;
    x.parent = dir;
    attach(dir, e);
    nodes_[x.inode].ctime = now_t;
  };
  auto move_dir_link = [&](uint32_t inode, uint32_t from_dir, uint32_t to_dir) {
    if (nodes_[inode].type != NodeType::Directory || from_dir == to_dir) return;
    nodes_[from_dir].nlink -= 1;
    nodes_[to_dir].nlink += 1;
  };
  detach(o);
  if (t != kNoNode) detach(t);
  if (exchange) {
    rename_entry(o, to.dir, new_name, to.bytes);
    rename_entry(t, from.dir, other_name, from.bytes);
    move_dir_link(oi, from.dir, to.dir);
    move_dir_link(ti, to.dir, from.dir);
  } else {
    rename_entry(o, to.dir, new_name, to.bytes);
    move_dir_link(oi, from.dir, to.dir);
    if (t != kNoNode) {  // the file it replaced loses that name
      if (t_dir) {
        nodes_[ti].nlink = 0;
        nodes_[to.dir].nlink -= 1;
      } else {
        nodes_[ti].nlink -= 1;
      }
      nodes_[ti].ctime = now_t;
      if (t != ti) free_node(t);
      release_if_unused(ti);
    }
  }
  nodes_[from.dir].mtime = nodes_[from.dir].ctime = now_t;
  nodes_[to.dir].mtime = nodes_[to.dir].ctime = now_t;
  return 0;
}

// ---- contents ----

bool FileTree::pristine(uint32_t node) const {
  const Node& x = nodes_[node];
  return x.pages.root == 0 && x.size == x.bytes;
}

bool FileTree::image_bytes(uint32_t node, uint64_t offset, uint32_t n, uint32_t* at) {
  const Node& x = nodes_[node];
  if (n == 0 || x.type != NodeType::File || offset + n > x.bytes || offset + n > x.size) return false;
  if (file_pages::lookup(x.pages, budget_, static_cast<uint32_t>(offset / kPage)) != 0) return false;
  *at = x.image + static_cast<uint32_t>(offset);
  return true;
}

Piece FileTree::piece(uint32_t node, uint64_t offset, uint32_t max) {
  static const uint8_t kZeros[kPage] = {};
  Node& x = nodes_[node];
  if (offset >= x.size) return Piece{};
  const uint64_t left_in_file = x.size - offset;
  const uint32_t in_page = static_cast<uint32_t>(offset % kPage);
  uint32_t n = kPage - in_page;
  if (n > max) n = max;
  if (n > left_in_file) n = static_cast<uint32_t>(left_in_file);
  const uint32_t page = file_pages::lookup(x.pages, budget_, static_cast<uint32_t>(offset / kPage));
  if (page != 0) return Piece{budget_.at(page) + in_page, n};
  if (offset < x.bytes) {  // the image's bytes
    const uint32_t image_left = x.bytes - static_cast<uint32_t>(offset);
    if (n > image_left) n = image_left;
    uint32_t viewed = 0;
    const uint8_t* bytes = image_->view(x.image + static_cast<uint32_t>(offset), &viewed);
    if (bytes == nullptr) return Piece{.failed = true};
    return Piece{bytes, n < viewed ? n : viewed};
  }
  return Piece{kZeros + in_page, n};
}

int32_t FileTree::writable(uint32_t node, uint64_t offset, uint32_t max, uint8_t** out, uint32_t* n) {
  Node& x = nodes_[node];
  if (offset >= kMaxFileBytes) return -abi::kEFBIG;
  const uint32_t index = static_cast<uint32_t>(offset / kPage);
  // A page still the image's is read before it becomes the file's own: an image that
  // cannot be read refuses the write with nothing changed.
  static uint8_t from_image[kPage];
  const uint64_t start = static_cast<uint64_t>(index) * kPage;
  uint32_t image_n = 0;
  if (start < x.bytes && file_pages::lookup(x.pages, budget_, index) == 0) {
    image_n = x.bytes - start < kPage ? x.bytes - static_cast<uint32_t>(start) : kPage;
    if (!image_->copy(x.image + static_cast<uint32_t>(start), from_image, image_n)) return -abi::kEIO;
  }
  bool fresh = false;
  const uint32_t page = file_pages::materialize(x.pages, budget_, index, &fresh);
  if (page == 0) return -abi::kENOSPC;
  uint8_t* bytes = budget_.at(page);
  // The image's bytes of that page come along (the rest is zeros already).
  if (fresh) memcpy(bytes, from_image, image_n);
  const uint32_t in_page = static_cast<uint32_t>(offset % kPage);
  *out = bytes + in_page;
  *n = kPage - in_page < max ? kPage - in_page : max;
  return 0;
}

void FileTree::wrote(uint32_t node, uint64_t end) {
  Node& x = nodes_[node];
  if (end > x.size) x.size = end;
  x.mtime = x.ctime = now();
}

int32_t FileTree::truncate(uint32_t node, uint64_t size) {
  Node& x = nodes_[node];
  if (size > kMaxFileBytes) return -abi::kEFBIG;
  if (size < x.size) {
    const uint32_t keep_pages = static_cast<uint32_t>((size + kPage - 1) / kPage);
    file_pages::release_from(x.pages, budget_, keep_pages);
    // The kept part of the last page beyond the new end reads as zeros if it grows again.
    const uint32_t in_page = static_cast<uint32_t>(size % kPage);
    if (in_page != 0) {
      const uint32_t page = file_pages::lookup(x.pages, budget_, static_cast<uint32_t>(size / kPage));
      if (page != 0)
        for (uint32_t i = in_page; i < kPage; ++i) budget_.at(page)[i] = 0;
    }
    if (size < x.bytes) x.bytes = static_cast<uint32_t>(size);
  }
  x.size = size;
  x.mtime = x.ctime = now();
  return 0;
}

}  // namespace unixemu
