// The UNIX emulator's writable file tree (ak-unix/file_tree.h, file_pages.h,
// name_store.h): creating, removing, renaming and linking, contents written over the
// image's bytes page by page, sparse files, truncation, a file removed while open, and
// the budgets (pages, nodes, names) refusing with ENOSPC and giving back what they held.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "cpio_builder.h"
#include "file_tree.h"
#include "linux_abi.h"
#include "test_image.h"

namespace unixemu {
namespace {

namespace abi = linux_abi;

// Pages from a vector; handles are indexes + 1.
class VectorPages final : public PageSource {
 public:
  explicit VectorPages(uint32_t capacity) : pages_(capacity), used_(capacity, false) {}
  bool allocate(uint32_t* handle) override {
    for (uint32_t i = 0; i < pages_.size(); ++i) {
      if (used_[i]) continue;
      used_[i] = true;
      std::memset(pages_[i].bytes, 0, sizeof pages_[i].bytes);
      *handle = i + 1;
      return true;
    }
    return false;
  }
  void release(uint32_t handle) override { used_[handle - 1] = false; }
  uint8_t* at(uint32_t handle) override { return pages_[handle - 1].bytes; }
  uint32_t in_use() const {
    uint32_t n = 0;
    for (bool u : used_) n += u ? 1 : 0;
    return n;
  }

 private:
  struct Page {
    alignas(4) uint8_t bytes[kFilePageBytes];
  };
  std::vector<Page> pages_;
  std::vector<bool> used_;
};

class Users final : public TreeUsers {
 public:
  bool uses(uint32_t node) override { return node == held; }
  void leaving(uint32_t, uint32_t child) override { left.push_back(child); }
  uint32_t held = FileTree::kNoNode;
  std::vector<uint32_t> left;
};

FileTime g_now{1000, 0};
FileTime clock_now() { return g_now; }

class UnixTmpfs : public ::testing::Test {
 protected:
  void SetUp() override {
    CpioBuilder b;
    b.directory(".");
    b.directory("data");
    b.file("data/image", std::string(6000, 'i'));
    b.file("data/small", "small");
    b.trailer();
    archive_ = b.bytes();
    tree_ = std::make_unique<FileTree>();
    image_ = std::make_unique<TestImage>(archive_.data(), static_cast<uint32_t>(archive_.size()));
    ASSERT_TRUE(tree_->load(*image_));
    tree_->set_pages(&pages_, 64);
    tree_->set_clock(clock_now);
    tree_->set_users(&users_);
  }

  uint32_t find(const std::string& path, bool follow = true) {
    uint32_t n = FileTree::kNoNode;
    last_status_ = tree_->resolve(FileTree::kRoot, path.data(), static_cast<uint32_t>(path.size()), follow, &n);
    return last_status_ == 0 ? n : FileTree::kNoNode;
  }
  LastComponent last(const std::string& path, int32_t* status = nullptr) {
    paths_.push_back(path);
    LastComponent l;
    const int32_t s =
        tree_->resolve_last(FileTree::kRoot, paths_.back().data(), static_cast<uint32_t>(path.size()), &l);
    if (status != nullptr)
      *status = s;
    else
      EXPECT_EQ(s, 0);
    return l;
  }
  int32_t make(const std::string& path, uint32_t mode, uint32_t* out = nullptr) {
    int32_t found;
    const LastComponent l = last(path, &found);
    if (found != 0) return found;
    uint32_t n = FileTree::kNoNode;
    const int32_t s = tree_->make(l.dir, l.name, l.bytes, mode, &n);
    if (out != nullptr) *out = n;
    return s;
  }
  int32_t write(uint32_t node, uint64_t offset, const std::string& text) {
    uint32_t done = 0;
    while (done < text.size()) {
      uint8_t* to;
      uint32_t n;
      if (const int32_t s = tree_->writable(node, offset + done, static_cast<uint32_t>(text.size()) - done, &to, &n);
          s != 0)
        return s;
      std::memcpy(to, text.data() + done, n);
      done += n;
    }
    tree_->wrote(node, offset + done);
    return 0;
  }
  std::string read(uint32_t node, uint64_t offset = 0, uint32_t max = 1 << 20) {
    std::string out;
    for (;;) {
      const Piece p = tree_->piece(node, offset + out.size(), max - static_cast<uint32_t>(out.size()));
      if (p.n == 0) return out;
      out.append(reinterpret_cast<const char*>(p.bytes), p.n);
    }
  }

  std::vector<uint8_t> archive_;
  std::unique_ptr<TestImage> image_;
  std::unique_ptr<FileTree> tree_;
  VectorPages pages_{64};
  Users users_;
  std::deque<std::string> paths_;  // stable: LastComponent points into them
  int32_t last_status_ = 0;
};

TEST_F(UnixTmpfs, MakesFilesAndDirectoriesWithLinuxErrors) {
  uint32_t dir = 0, file = 0;
  ASSERT_EQ(make("/new", abi::kS_IFDIR | 0755, &dir), 0);
  EXPECT_EQ(tree_->node(FileTree::kRoot).nlink, 4u);  // ".", "..", data, new
  EXPECT_EQ(tree_->node(dir).nlink, 2u);
  ASSERT_EQ(make("/new/f", abi::kS_IFREG | 0644, &file), 0);
  EXPECT_EQ(find("/new/f"), file);
  EXPECT_EQ(make("/new/f", abi::kS_IFREG | 0644), -abi::kEEXIST);
  EXPECT_EQ(make("/new/.", abi::kS_IFDIR | 0755), -abi::kEEXIST);
  EXPECT_EQ(make("/data/small/x", abi::kS_IFREG), -abi::kENOTDIR) << "the parent is a file";
  EXPECT_EQ(make("/" + std::string(256, 'n'), abi::kS_IFREG), -abi::kENAMETOOLONG);
  EXPECT_EQ(tree_->remove(last("/new"), true), -abi::kENOTEMPTY);
  EXPECT_EQ(tree_->remove(last("/new"), false), -abi::kEISDIR);
  EXPECT_EQ(tree_->remove(last("/new/f"), true), -abi::kENOTDIR);
  EXPECT_EQ(tree_->remove(last("/new/."), true), -abi::kEINVAL);
  EXPECT_EQ(tree_->remove(last("/"), true), -abi::kEBUSY);
  EXPECT_EQ(tree_->remove(last("/new/f"), false), 0);
  EXPECT_EQ(tree_->remove(last("/new"), true), 0);
  EXPECT_EQ(tree_->node(FileTree::kRoot).nlink, 3u);
  EXPECT_EQ(find("/new"), FileTree::kNoNode);
}

TEST_F(UnixTmpfs, WritesCopyOnlyTheImagePagesTheyTouch) {
  const uint32_t image = find("/data/image");
  EXPECT_TRUE(tree_->pristine(image));
  ASSERT_EQ(write(image, 4100, "XY"), 0);  // the second page
  EXPECT_FALSE(tree_->pristine(image));
  EXPECT_EQ(pages_.in_use(), 2u);  // one index page, one data page
  const std::string now = read(image);
  ASSERT_EQ(now.size(), 6000u);
  EXPECT_EQ(now.substr(4096, 6), "iiiiXY");
  EXPECT_EQ(now.substr(0, 4096), std::string(4096, 'i'));  // still the image's
  EXPECT_EQ(now.substr(4102), std::string(6000 - 4102, 'i'));
}

// The emulator shares program pages by where their bytes lie in the image: only bytes
// that are the image's now have an address there.
TEST_F(UnixTmpfs, ImageBytesAreNamedOnlyWhileTheFileStillReadsThem) {
  // Where the bytes are in the image, or -1 when they are not (only) the image's.
  auto at = [&](uint32_t node, uint64_t offset, uint32_t n) -> int64_t {
    uint32_t where = 0;
    return tree_->image_bytes(node, offset, n, &where) ? int64_t{where} : -1;
  };
  const uint32_t image = find("/data/image");
  const int64_t first = at(image, 0, 4096);
  ASSERT_GE(first, 0);
  EXPECT_EQ(archive_.data() + first, tree_->piece(image, 0, 4096).bytes) << "the bytes a read finds";
  EXPECT_EQ(at(image, 4096, 6000 - 4096), first + 4096);
  EXPECT_EQ(at(image, 4096, 4096), -1) << "past the file's end";
  EXPECT_EQ(at(image, 0, 0), -1);
  ASSERT_EQ(write(image, 4100, "XY"), 0);  // the second page becomes the file's own
  EXPECT_EQ(at(image, 4096, 6000 - 4096), -1);
  EXPECT_EQ(at(image, 0, 4096), first) << "the first page is still the image's";
  ASSERT_EQ(tree_->truncate(image, 100), 0);
  EXPECT_EQ(at(image, 0, 4096), -1) << "cut short";
  EXPECT_EQ(at(image, 0, 100), first);
  ASSERT_EQ(tree_->truncate(image, 4096), 0);  // grown again: zeros after byte 100
  EXPECT_EQ(at(image, 0, 4096), -1);
  uint32_t fresh = 0;
  ASSERT_EQ(make("/fresh", abi::kS_IFREG | 0644, &fresh), 0);
  ASSERT_EQ(write(fresh, 0, "abc"), 0);
  EXPECT_EQ(at(fresh, 0, 3), -1) << "no image bytes at all";
  ASSERT_EQ(tree_->resolve(FileTree::kRoot, "/data", 5, true, &fresh), 0);
  EXPECT_EQ(at(fresh, 0, 1), -1) << "a directory has none";
}

// The image is read through windows the Cache Kernel may refuse to map: a read of bytes
// that cannot be reached fails (the emulator returns EIO), and so does a write that would
// copy them into a page of the file's own, with nothing changed.
TEST_F(UnixTmpfs, ImageBytesThatCannotBeReadFailReadsAndWritesAndChangeNothing) {
  const uint32_t image = find("/data/image");
  const uint32_t pages = tree_->pages_used();
  image_->reachable = false;
  const Piece p = tree_->piece(image, 10, 100);
  EXPECT_TRUE(p.failed);
  EXPECT_EQ(p.n, 0u);
  EXPECT_EQ(write(image, 4100, "XY"), -abi::kEIO);
  EXPECT_EQ(tree_->pages_used(), pages) << "no page was made the file's own";
  EXPECT_EQ(tree_->node(image).size, 6000u);
  image_->reachable = true;
  EXPECT_EQ(read(image), std::string(6000, 'i')) << "the file reads as before";
  ASSERT_EQ(write(image, 4100, "XY"), 0);
  image_->reachable = false;
  EXPECT_EQ(read(image, 4096, 6), "iiiiXY") << "the file's own page needs no image";
  uint32_t at = 0;
  EXPECT_TRUE(tree_->image_bytes(image, 0, 4096, &at)) << "an offset, whether or not it can be read now";
}

TEST_F(UnixTmpfs, SparseFilesReadZerosAndTruncateZeroesTheTail) {
  uint32_t f = 0;
  ASSERT_EQ(make("/sparse", abi::kS_IFREG | 0644, &f), 0);
  ASSERT_EQ(write(f, 3 * 4096 + 10, "end"), 0);
  EXPECT_EQ(tree_->node(f).size, 3u * 4096 + 13);
  EXPECT_EQ(read(f).substr(0, 3 * 4096 + 10), std::string(3 * 4096 + 10, '\0'));
  ASSERT_EQ(tree_->truncate(f, 3 * 4096 + 11), 0);  // cuts "nd"
  ASSERT_EQ(tree_->truncate(f, 3 * 4096 + 13), 0);  // and grows again: zeros
  EXPECT_EQ(read(f).substr(3 * 4096 + 10), std::string("e\0\0", 3));
  // The image's bytes beyond a truncation do not come back either.
  const uint32_t small = find("/data/small");
  ASSERT_EQ(tree_->truncate(small, 2), 0);
  ASSERT_EQ(tree_->truncate(small, 5), 0);
  EXPECT_EQ(read(small), std::string("sm\0\0\0", 5));
  EXPECT_EQ(tree_->truncate(f, kMaxFileBytes + 1), -abi::kEFBIG);
  ASSERT_EQ(tree_->truncate(f, 0), 0);
  EXPECT_EQ(pages_.in_use(), 0u);
}

TEST_F(UnixTmpfs, PagesRunOutWithEnospcAndComeBack) {
  uint32_t f = 0;
  ASSERT_EQ(make("/big", abi::kS_IFREG | 0644, &f), 0);
  int32_t s = 0;
  uint64_t offset = 0;
  while ((s = write(f, offset, std::string(4096, 'b'))) == 0) offset += 4096;
  EXPECT_EQ(s, -abi::kENOSPC);
  EXPECT_EQ(tree_->pages_used(), 64u);
  EXPECT_EQ(tree_->remove(last("/big"), false), 0);
  EXPECT_EQ(tree_->pages_used(), 0u);
  EXPECT_EQ(pages_.in_use(), 0u);
}

TEST_F(UnixTmpfs, AFileRemovedWhileOpenLivesUntilClosed) {
  uint32_t f = 0;
  ASSERT_EQ(make("/open", abi::kS_IFREG | 0644, &f), 0);
  ASSERT_EQ(write(f, 0, "still here"), 0);
  tree_->opened(f);
  ASSERT_EQ(tree_->remove(last("/open"), false), 0);
  EXPECT_EQ(find("/open"), FileTree::kNoNode);
  EXPECT_EQ(read(f), "still here");
  EXPECT_EQ(pages_.in_use(), 1u);
  tree_->closed(f);
  EXPECT_FALSE(tree_->node(f).used);
  EXPECT_EQ(pages_.in_use(), 0u);
}

TEST_F(UnixTmpfs, HardLinksShareTheFileAndCountLinks) {
  uint32_t f = 0;
  ASSERT_EQ(make("/a", abi::kS_IFREG | 0644, &f), 0);
  const LastComponent b = last("/b");
  ASSERT_EQ(tree_->link(f, b.dir, b.name, b.bytes), 0);
  EXPECT_EQ(tree_->node(f).nlink, 2u);
  EXPECT_EQ(find("/b"), f);
  ASSERT_EQ(write(find("/b"), 0, "shared"), 0);
  EXPECT_EQ(tree_->remove(last("/a"), false), 0);
  EXPECT_EQ(tree_->node(f).nlink, 1u);
  EXPECT_EQ(read(find("/b")), "shared");
  const LastComponent d = last("/dl");
  EXPECT_EQ(tree_->link(find("/data"), d.dir, d.name, d.bytes), -abi::kEPERM);
  EXPECT_EQ(tree_->remove(last("/b"), false), 0);
  EXPECT_FALSE(tree_->node(f).used);
}

TEST_F(UnixTmpfs, RenamesReplaceMoveAndRefuseAsLinuxDoes) {
  uint32_t d1 = 0, d2 = 0, f = 0, g = 0;
  ASSERT_EQ(make("/d1", abi::kS_IFDIR | 0755, &d1), 0);
  ASSERT_EQ(make("/d2", abi::kS_IFDIR | 0755, &d2), 0);
  ASSERT_EQ(make("/d1/f", abi::kS_IFREG | 0644, &f), 0);
  ASSERT_EQ(make("/d2/g", abi::kS_IFREG | 0644, &g), 0);
  EXPECT_EQ(tree_->rename(last("/d1/f"), last("/d2/g"), FileTree::kRenameNoReplace), -abi::kEEXIST);
  EXPECT_EQ(tree_->rename(last("/d1"), last("/d1/sub"), 0), -abi::kEINVAL);  // into itself
  EXPECT_EQ(tree_->rename(last("/d1/f"), last("/d2"), 0), -abi::kEISDIR);
  EXPECT_EQ(tree_->rename(last("/d1"), last("/d2/g"), 0), -abi::kENOTDIR);
  EXPECT_EQ(tree_->rename(last("/d1"), last("/d2"), 0), -abi::kENOTEMPTY);
  EXPECT_EQ(tree_->rename(last("/d1/missing"), last("/x"), 0), -abi::kENOENT);
  ASSERT_EQ(tree_->rename(last("/d1/f"), last("/d2/g"), 0), 0);  // replaces g
  EXPECT_EQ(find("/d2/g"), f);
  EXPECT_FALSE(tree_->node(g).used);
  ASSERT_EQ(tree_->rename(last("/d1"), last("/d2/moved"), 0), 0);
  EXPECT_EQ(tree_->node(d2).nlink, 3u);
  EXPECT_EQ(find("/d2/moved/.."), d2);
  uint32_t h = 0;
  ASSERT_EQ(make("/h", abi::kS_IFREG | 0644, &h), 0);
  ASSERT_EQ(tree_->rename(last("/h"), last("/d2/g"), FileTree::kRenameExchange), 0);
  EXPECT_EQ(find("/h"), f);
  EXPECT_EQ(find("/d2/g"), h);
}

class Nothing final : public SyntheticTree {
 public:
  uint32_t child(uint32_t, const char*, uint32_t) override { return FileTree::kNoNode; }
  NodeType type(uint32_t) override { return NodeType::Directory; }
  uint32_t parent(uint32_t) override { return FileTree::kRoot; }
  bool target(uint32_t, const char**, uint32_t*) override { return false; }
};

TEST_F(UnixTmpfs, TheSyntheticMountPointStaysPut) {
  Nothing proc;
  ASSERT_TRUE(tree_->add_synthetic("proc", &proc));
  uint32_t d = 0;
  ASSERT_EQ(make("/empty", abi::kS_IFDIR | 0755, &d), 0);
  EXPECT_EQ(tree_->rename(last("/empty"), last("/proc"), 0), -abi::kEBUSY);      // replaced
  EXPECT_EQ(tree_->rename(last("/proc"), last("/elsewhere"), 0), -abi::kEBUSY);  // moved
  EXPECT_EQ(tree_->remove(last("/proc"), true), -abi::kEBUSY);
  EXPECT_EQ(make("/proc/x", abi::kS_IFREG | 0644), -abi::kEPERM);
  EXPECT_EQ(find("/proc"), tree_->synthetic_mount());
}

TEST_F(UnixTmpfs, OpenDirectoriesAreToldOfLeavingEntries) {
  uint32_t f = 0;
  ASSERT_EQ(make("/gone", abi::kS_IFREG | 0644, &f), 0);
  users_.left.clear();
  ASSERT_EQ(tree_->remove(last("/gone"), false), 0);
  ASSERT_EQ(users_.left.size(), 1u);
  EXPECT_EQ(users_.left[0], f);
}

TEST_F(UnixTmpfs, ARemovedDirectoryInUseIsKeptEmptyAndClosed) {
  uint32_t d = 0;
  ASSERT_EQ(make("/cwd", abi::kS_IFDIR | 0755, &d), 0);
  users_.held = d;  // some process's working directory
  ASSERT_EQ(tree_->remove(last("/cwd"), true), 0);
  EXPECT_TRUE(tree_->node(d).used);
  EXPECT_EQ(tree_->make(d, "x", 1, abi::kS_IFREG | 0644, &d), -abi::kENOENT);
  users_.held = FileTree::kNoNode;
  tree_->collect();
  EXPECT_FALSE(tree_->node(d).used);
}

TEST_F(UnixTmpfs, SymlinksKeepTheirTargetsAndNodesRunOut) {
  uint32_t l = 0;
  const LastComponent s = last("/link");
  ASSERT_EQ(tree_->make_symlink(s.dir, s.name, s.bytes, "data/small", 10, &l), 0);
  EXPECT_EQ(find("/link"), find("/data/small"));
  EXPECT_EQ(find("/link", false), l);
  // Nodes: made until the table is full, then ENOSPC; removing gives them back.
  std::vector<std::string> names;
  int32_t status = 0;
  for (uint32_t i = 0; status == 0; ++i) {
    names.push_back("/n" + std::to_string(i));
    status = make(names.back(), abi::kS_IFREG | 0644);
  }
  EXPECT_EQ(status, -abi::kENOSPC);
  EXPECT_EQ(tree_->free_nodes(), 0u);
  names.pop_back();
  for (const std::string& n : names) EXPECT_EQ(tree_->remove(last(n), false), 0);
  EXPECT_EQ(make("/again", abi::kS_IFREG | 0644), 0);
}

}  // namespace
}  // namespace unixemu
