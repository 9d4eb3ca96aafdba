// The emulator's file system as a tree of nodes (paper §2: the UNIX emulator provides
// the file system its processes see; issue 18 item 5): built from the cpio archive in
// the PROM, then writable, tmpfs-like, in the emulator's own memory. An image file's
// bytes are read where they lie in the image (through an ImageReader: the PROM is reached
// a page at a time) until a page of it is written: that page (only) is copied into a page
// of the file's own (file_pages.h), so the image is never written and an untouched file
// costs nothing. Names and link targets, the image's and new ones, are kept in a fixed
// arena (name_store.h), so that path resolution never reads the image;
// nodes come from a fixed table; file pages from a PageSource with a budget. Full, each
// refuses with ENOSPC: no process can exhaust the emulator by filling it.
//
// A node lives while it has links, open file descriptions, or users the emulator knows
// of (a process's working directory or a mapping of the file: TreeUsers); an unlinked
// node still in use is kept, detached, and freed when a collection finds it unused.
//
// Path resolution follows Linux's rules (`.`, `..`, symbolic links up to 40, trailing
// slashes, the errors). /proc is a directory whose contents another part provides
// (SyntheticTree: identifiers from kSyntheticBase on). Pure; host-tested.
#pragma once

#include <stdint.h>

#include "file_pages.h"
#include "image_reader.h"
#include "name_store.h"

namespace unixemu {

enum class NodeType : uint8_t { Directory, File, Symlink, Device };
// What a device node (NodeType::Device) is: /dev's character devices.
enum class Device : uint8_t { None, Null, Zero, Console };

struct FileTime {
  int64_t sec = 0;
  uint32_t nsec = 0;
};

// A node is a directory entry and, unless it is a further hard link (inode != itself),
// the file it names: its type, attributes and contents are its inode's.
struct Node {
  uint32_t inode = 0;          // the node holding the file (itself but for hard links)
  const char* name = nullptr;  // its last path component (not NUL-terminated)
  uint32_t name_bytes = 0;
  uint32_t parent = 0;
  uint32_t first_child = 0;  // kNoNode when none; children in name order
  uint32_t next_sibling = 0;
  uint32_t mode = 0;  // st_mode: type and permission bits
  NodeType type = NodeType::Directory;
  uint32_t nlink = 0;
  // A file: where its bytes are in the image (offset `image`); the first `bytes` of them
  // are still the file's where no page of its own replaced them (bytes only ever
  // shrinks). A symbolic link: its target, target[0..bytes), in the name store.
  uint32_t image = 0;
  const char* target = nullptr;
  uint32_t bytes = 0;
  Device device = Device::None;  // a device node's device
  uint32_t rdev = 0;             // and its number as stat reports it (Linux's encoding)
  uint64_t size = 0;             // a file's size
  PageTree pages;                // a file's own pages (holes read as the image or zeros)
  uint32_t uid = 0, gid = 0;
  FileTime atime, mtime, ctime;
  uint32_t opens = 0;  // open file descriptions of it
  bool used = false;   // the table slot holds a node
  bool linked = false;
  bool name_owned = false;  // the name is in the name store (else a constant)
};

// What else holds nodes, as the emulator knows it (its processes).
class TreeUsers {
 public:
  // True when `node` is a process's working directory or mapped by one.
  virtual bool uses(uint32_t node) = 0;
  // `child` is about to leave directory `dir` (open directories reading it move on).
  virtual void leaving(uint32_t dir, uint32_t child) = 0;

 protected:
  ~TreeUsers() = default;
};

// A directory whose contents are made up on demand (/proc).
class SyntheticTree {
 public:
  // The child `name` of `dir` (the mount point or a synthetic directory), or kNoNode.
  virtual uint32_t child(uint32_t dir, const char* name, uint32_t bytes) = 0;
  virtual NodeType type(uint32_t id) = 0;
  virtual uint32_t parent(uint32_t id) = 0;
  // A synthetic symbolic link's target (valid until the next call); false: none.
  virtual bool target(uint32_t id, const char** text, uint32_t* bytes) = 0;

 protected:
  ~SyntheticTree() = default;
};

// A path's last component and the directory it is in (for the calls that create,
// remove or rename). `bytes` 0: the path was "/" (or slashes).
struct LastComponent {
  uint32_t dir = 0;
  const char* name = nullptr;
  uint32_t bytes = 0;
  bool trailing_slash = false;
  bool is_dot() const { return bytes == 1 && name[0] == '.'; }
  bool is_dot_dot() const { return bytes == 2 && name[0] == '.' && name[1] == '.'; }
};

// A run of a file's bytes from one place: its own page, the image, or zeros. n 0: the
// end of the file, or (failed) its image bytes could not be reached.
struct Piece {
  const uint8_t* bytes = nullptr;
  uint32_t n = 0;
  bool failed = false;
};

class FileTree {
 public:
  static constexpr uint32_t kMaxNodes = 2048;
  static constexpr uint32_t kNoNode = 0xffffffffu;
  static constexpr uint32_t kRoot = 0;
  static constexpr uint32_t kSyntheticBase = 0x80000000u;
  static constexpr uint32_t kRenameNoReplace = 1, kRenameExchange = 2, kRenameWhiteout = 4;

  static bool synthetic(uint32_t id) { return id >= kSyntheticBase && id != kNoNode; }

  // Builds the tree from the cpio "newc" archive `archive` (which must outlive the
  // tree: files are read from it); false (and an empty root) when the archive is
  // malformed or unreadable, holds an entry of an unsupported type, or too many nodes or
  // names for the tree.
  bool load(ImageReader& archive);
  ImageReader* image() const { return image_; }
  // Where file pages come from and how many it may hold (index pages included).
  void set_pages(PageSource* source, uint32_t limit);
  void set_clock(FileTime (*clock)()) { now_ = clock; }
  void set_users(TreeUsers* users) { users_ = users; }
  // /proc: a directory `name` under the root whose contents `provider` gives.
  bool add_synthetic(const char* name, SyntheticTree* provider);
  uint32_t synthetic_mount() const { return synthetic_mount_; }

  const Node& node(uint32_t i) const { return nodes_[i]; }
  Node& node(uint32_t i) { return nodes_[i]; }
  // Nodes in use.
  uint32_t count() const { return used_nodes_; }
  uint32_t free_nodes() const { return kMaxNodes - used_nodes_; }
  // The child (entry) of directory `dir` named name[0..bytes), or kNoNode.
  uint32_t child(uint32_t dir, const char* name, uint32_t bytes) const;
  // A node's type, synthetic ones included.
  NodeType type_of(uint32_t id) const;

  // Resolves path[0..bytes) from directory `dir` (absolute paths from the root). A
  // symbolic link as the last component is followed only if `follow_last` or the path
  // ends in '/'. 0 and the (inode) node in *out, or -errno: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG.
  int32_t resolve(uint32_t dir, const char* path, uint32_t bytes, bool follow_last, uint32_t* out) const;
  // The directory of path[0..bytes)'s last component and that component (trailing slashes
  // stripped and noted): 0, or -errno as resolve's for the directory part.
  int32_t resolve_last(uint32_t dir, const char* path, uint32_t bytes, LastComponent* out) const;

  // /dev with its character devices, as Linux has them: null (1,3), zero (1,5), tty
  // (5,0, the process's terminal: the console) and console (5,1); the archive's /dev, if
  // it has one, gets them added. False when the tree is full or /dev is not a directory.
  bool add_devices();

  // The absolute path of directory `dir` into buf (NUL-terminated); its length with the
  // NUL, or 0 when it does not fit in `capacity` (or the directory was removed).
  uint32_t path_of(uint32_t dir, char* buf, uint32_t capacity) const;

  // ---- changes (each 0 or -errno, nothing changed on an error) ----
  // A new file (S_IFREG) or directory (S_IFDIR) in `mode`, named `name` in `dir`:
  // EEXIST, ENOENT (dir removed), ENOTDIR, ENOSPC, ENAMETOOLONG, EPERM (in /proc).
  int32_t make(uint32_t dir, const char* name, uint32_t bytes, uint32_t mode, uint32_t* out);
  int32_t make_symlink(uint32_t dir, const char* name, uint32_t bytes, const char* target, uint32_t target_bytes,
                       uint32_t* out);
  // A hard link to `node` (not a directory: EPERM).
  int32_t link(uint32_t node, uint32_t dir, const char* name, uint32_t bytes);
  // unlink (`directory` false: EISDIR for a directory) or rmdir (ENOTDIR, ENOTEMPTY).
  // Trailing slashes: ENOTDIR unless it names a directory.
  int32_t remove(const LastComponent& last, bool directory);
  // rename/renameat2 with flags 0, RENAME_NOREPLACE or RENAME_EXCHANGE.
  int32_t rename(const LastComponent& from, const LastComponent& to, uint32_t flags);

  // ---- contents ----
  // The bytes of file `node` at `offset` (< its size) from one place, at most `max`. An
  // image view: valid while fewer than ImageReader::kViewsKept others are taken.
  Piece piece(uint32_t node, uint64_t offset, uint32_t max);
  // Where to write up to `max` bytes at `offset` (the page made the file's own): 0 and
  // the place, or -ENOSPC, -EFBIG, -EIO (the image's bytes of the page could not be
  // read). The size is not changed (wrote() does it).
  int32_t writable(uint32_t node, uint64_t offset, uint32_t max, uint8_t** out, uint32_t* n);
  // `end` bytes were written up to: the size grows to it; mtime and ctime now.
  void wrote(uint32_t node, uint64_t end);
  // Sets a file's size (EFBIG past kMaxFileBytes): pages beyond go, a part of a page
  // beyond is zeroed, holes read as zeros. mtime and ctime now.
  int32_t truncate(uint32_t node, uint64_t size);
  // True when the file's contents are all in the image: `size` bytes at `image`.
  bool pristine(uint32_t node) const;
  // Where the file's bytes [offset, offset + n) lie in the image (*at, an offset), when
  // they are the image's there now (no page of the file's own holds them, the file
  // still has them): the image never changes, so the offset names those bytes for good
  // (the emulator shares program pages by it). False otherwise; `n` must not cross a
  // page.
  bool image_bytes(uint32_t node, uint64_t offset, uint32_t n, uint32_t* at);

  // ---- attributes ----
  void changed(uint32_t node);  // ctime now
  FileTime now() const;

  // ---- lifetime ----
  void opened(uint32_t node);
  void closed(uint32_t node);
  // Frees the unlinked nodes nothing uses any more.
  void collect();
  uint32_t pages_used() const { return pages_used_; }
  // The pages file `node` holds of its own (index pages included).
  uint32_t pages_held(uint32_t node) { return file_pages::count(nodes_[node].pages, budget_); }
  uint32_t page_limit() const { return page_limit_; }
  uint32_t name_bytes_free() const { return names_.free_bytes(); }

 private:
  class Budget final : public PageSource {
   public:
    bool allocate(uint32_t* handle) override;
    void release(uint32_t handle) override;
    uint8_t* at(uint32_t handle) override { return source->at(handle); }
    FileTree* tree = nullptr;
    PageSource* source = nullptr;
  };

  // Adds (or finds) `name` under `dir` while loading (a copy of the name in the name
  // store); kNoNode when the tree or the name store is full.
  uint32_t add(uint32_t dir, const char* name, uint32_t bytes);
  uint32_t new_node();
  // A fresh node holding its own copy of `name`; kNoNode when nodes or names ran out.
  uint32_t new_named_node(const char* name, uint32_t bytes);
  void attach(uint32_t dir, uint32_t n);
  void detach(uint32_t n);
  // Drops a node nothing links, opens or uses: pages, names and slot.
  void release_if_unused(uint32_t n);
  void free_node(uint32_t n);
  // Common checks of a new name in `dir`: 0 or -errno.
  int32_t check_new(uint32_t dir, const char* name, uint32_t bytes) const;
  uint32_t parent_of(uint32_t id) const;
  uint32_t child_of(uint32_t dir, const char* name, uint32_t bytes) const;
  bool inside(uint32_t n, uint32_t ancestor) const;

  Node nodes_[kMaxNodes];
  uint32_t high_ = 0;  // slots [0, high_) have been used
  uint32_t free_list_ = kNoNode;
  uint32_t used_nodes_ = 0;
  NameStore names_;
  ImageReader* image_ = nullptr;
  Budget budget_;
  uint32_t pages_used_ = 0, page_limit_ = 0;
  FileTime (*now_)() = nullptr;
  TreeUsers* users_ = nullptr;
  SyntheticTree* synthetic_ = nullptr;
  uint32_t synthetic_mount_ = kNoNode;
};

}  // namespace unixemu
