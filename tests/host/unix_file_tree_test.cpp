// The UNIX emulator's root file system tree and Linux's path resolution rules
// (ak-unix/file_tree.h): ".", "..", symbolic links relative and absolute, chains and
// loops, trailing slashes, and the errors.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

#include "cpio_builder.h"
#include "file_tree.h"
#include "linux_abi.h"
#include "test_image.h"

namespace unixemu {
namespace {

namespace abi = linux_abi;

class UnixFileTree : public ::testing::Test {
 protected:
  void SetUp() override {
    CpioBuilder b;
    b.directory(".");
    b.directory("etc");
    b.file("etc/motd", "welcome\n");
    b.directory("data");
    b.directory("data/sub");
    b.file("data/sub/deep", "deep");
    b.file("data/b", "bee");
    b.file("data/a", "ay");
    b.symlink("data/rel", "sub/deep");
    b.symlink("data/abs", "/etc/motd");
    b.symlink("data/dirlink", "sub");
    b.symlink("data/chain1", "chain2");
    b.symlink("data/chain2", "rel");
    b.symlink("data/loop1", "loop2");
    b.symlink("data/loop2", "loop1");
    b.symlink("data/dangling", "nowhere");
    b.file("bin/implicit", "x", 0100755);  // its directory comes without an entry
    b.trailer();
    archive_ = b.bytes();
    image_ = std::make_unique<MemoryImage>(archive_.data(), static_cast<uint32_t>(archive_.size()));
    ASSERT_TRUE(tree_.load(*image_));
  }

  int32_t resolve(const std::string& path, bool follow = true, uint32_t from = FileTree::kRoot) {
    return tree_.resolve(from, path.data(), static_cast<uint32_t>(path.size()), follow, &node_);
  }
  std::string contents() const {
    const Node& n = tree_.node(node_);
    if (n.type == NodeType::Symlink) return std::string(n.target, n.bytes);
    return std::string(reinterpret_cast<const char*>(archive_.data()) + n.image, n.bytes);
  }
  std::vector<std::string> children(const std::string& dir) {
    EXPECT_EQ(resolve(dir), 0);
    std::vector<std::string> names;
    for (uint32_t c = tree_.node(node_).first_child; c != FileTree::kNoNode; c = tree_.node(c).next_sibling)
      names.emplace_back(tree_.node(c).name, tree_.node(c).name_bytes);
    return names;
  }

  std::vector<uint8_t> archive_;
  std::unique_ptr<MemoryImage> image_;
  FileTree tree_;
  uint32_t node_ = 0;
};

TEST_F(UnixFileTree, ResolvesPlainPathsAndKeepsChildrenInNameOrder) {
  ASSERT_EQ(resolve("/etc/motd"), 0);
  EXPECT_EQ(contents(), "welcome\n");
  EXPECT_EQ(tree_.node(node_).type, NodeType::File);
  ASSERT_EQ(resolve("/bin/implicit"), 0);
  EXPECT_EQ(tree_.node(node_).mode, 0100755u);
  EXPECT_EQ(children("/data"), (std::vector<std::string>{"a", "abs", "b", "chain1", "chain2", "dangling", "dirlink",
                                                         "loop1", "loop2", "rel", "sub"}));
  ASSERT_EQ(resolve("/"), 0);
  EXPECT_EQ(node_, FileTree::kRoot);
  // nlink of a directory: 2 and one per subdirectory.
  ASSERT_EQ(resolve("/data"), 0);
  EXPECT_EQ(tree_.node(node_).nlink, 3u);
  EXPECT_EQ(tree_.node(FileTree::kRoot).nlink, 5u);  // etc, data, bin
}

TEST_F(UnixFileTree, DotsAndRelativePaths) {
  ASSERT_EQ(resolve("/data"), 0);
  const uint32_t data = node_;
  ASSERT_EQ(resolve("sub/../b", true, data), 0);
  EXPECT_EQ(contents(), "bee");
  ASSERT_EQ(resolve("./././a", true, data), 0);
  EXPECT_EQ(contents(), "ay");
  ASSERT_EQ(resolve("/../../etc/./motd"), 0);  // ".." at the root stays there
  EXPECT_EQ(contents(), "welcome\n");
  ASSERT_EQ(resolve("//etc///motd"), 0);
  EXPECT_EQ(contents(), "welcome\n");
}

TEST_F(UnixFileTree, FollowsLinksRelativeAbsoluteAndChained) {
  ASSERT_EQ(resolve("/data/rel"), 0);
  EXPECT_EQ(contents(), "deep");
  ASSERT_EQ(resolve("/data/abs"), 0);
  EXPECT_EQ(contents(), "welcome\n");
  ASSERT_EQ(resolve("/data/chain1"), 0);
  EXPECT_EQ(contents(), "deep");
  ASSERT_EQ(resolve("/data/dirlink/deep"), 0);
  EXPECT_EQ(contents(), "deep");
  ASSERT_EQ(resolve("/data/dirlink/../b"), 0);  // ".." of the link's target
  EXPECT_EQ(contents(), "bee");
  // Not following the last component gives the link itself; a middle one is followed.
  ASSERT_EQ(resolve("/data/rel", false), 0);
  EXPECT_EQ(tree_.node(node_).type, NodeType::Symlink);
  ASSERT_EQ(resolve("/data/dirlink/deep", false), 0);
  EXPECT_EQ(contents(), "deep");
  // A trailing slash follows even when told not to, and must end at a directory.
  ASSERT_EQ(resolve("/data/dirlink/", false), 0);
  EXPECT_EQ(tree_.node(node_).type, NodeType::Directory);
}

TEST_F(UnixFileTree, ErrorsAsLinuxGivesThem) {
  EXPECT_EQ(resolve(""), -abi::kENOENT);
  EXPECT_EQ(resolve("/nope"), -abi::kENOENT);
  EXPECT_EQ(resolve("/etc/motd/x"), -abi::kENOTDIR);
  EXPECT_EQ(resolve("/etc/motd/"), -abi::kENOTDIR);
  EXPECT_EQ(resolve("/etc/motd/.."), -abi::kENOTDIR);
  EXPECT_EQ(resolve("/data/loop1"), -abi::kELOOP);
  EXPECT_EQ(resolve("/data/loop1", false), 0);  // the link itself
  EXPECT_EQ(resolve("/data/loop1/x", false), -abi::kELOOP);
  EXPECT_EQ(resolve("/data/dangling"), -abi::kENOENT);
  EXPECT_EQ(resolve("/" + std::string(256, 'n')), -abi::kENAMETOOLONG);
  EXPECT_EQ(resolve("/" + std::string(255, 'n')), -abi::kENOENT);
}

TEST_F(UnixFileTree, FortyLinksAreFollowedAndTheFortyFirstIsALoop) {
  CpioBuilder b;
  for (int i = 0; i < 41; ++i) b.symlink("l" + std::to_string(i), "l" + std::to_string(i + 1));
  b.file("l41", "end");
  b.trailer();
  const std::vector<uint8_t> a = b.bytes();
  FileTree t;
  MemoryImage image(a.data(), static_cast<uint32_t>(a.size()));
  ASSERT_TRUE(t.load(image));
  uint32_t n;
  EXPECT_EQ(t.resolve(FileTree::kRoot, "/l1", 3, true, &n), 0);  // 40 links to l41
  EXPECT_EQ(t.resolve(FileTree::kRoot, "/l0", 3, true, &n), -abi::kELOOP);
}

TEST_F(UnixFileTree, PathOfADirectory) {
  char buf[64];
  ASSERT_EQ(resolve("/data/dirlink"), 0);
  EXPECT_EQ(tree_.path_of(node_, buf, sizeof buf), 10u);
  EXPECT_STREQ(buf, "/data/sub");
  EXPECT_EQ(tree_.path_of(FileTree::kRoot, buf, sizeof buf), 2u);
  EXPECT_STREQ(buf, "/");
  EXPECT_EQ(tree_.path_of(node_, buf, 9), 0u);  // "/data/sub" and its NUL need 10
}

// The image is read through windows (the PROM a page at a time): path resolution must
// never need it, so names and link targets are copied into the tree; files' bytes are
// read from it, through short views too.
TEST(UnixFileTreeLoad, NamesAndTargetsAreTheTreesOwnFilesAreReadThroughTheImage) {
  CpioBuilder b;
  b.directory("data");
  b.file("data/file", "the file's bytes");
  b.symlink("data/link", "file");
  b.trailer();
  const std::vector<uint8_t> a = b.bytes();
  TestImage image(a.data(), static_cast<uint32_t>(a.size()), 5);
  FileTree t;
  ASSERT_TRUE(t.load(image));
  image.reachable = false;
  uint32_t n = 0;
  ASSERT_EQ(t.resolve(FileTree::kRoot, "/data/link", 10, true, &n), 0);
  EXPECT_EQ(std::string(t.node(n).name, t.node(n).name_bytes), "file");
  EXPECT_TRUE(t.piece(n, 0, 100).failed);
  image.reachable = true;
  std::string read;
  for (Piece p; (p = t.piece(n, read.size(), 100)).n != 0;) {
    EXPECT_LE(p.n, 5u) << "a piece never runs past its view";
    read.append(reinterpret_cast<const char*>(p.bytes), p.n);
  }
  EXPECT_EQ(read, "the file's bytes");
}

TEST(UnixFileTreeLoad, RefusesMalformedArchivesAndDeviceNodes) {
  CpioBuilder b;
  b.file("dev/null", "", 020666);
  b.trailer();
  FileTree t;
  const std::vector<uint8_t> device = b.bytes();
  MemoryImage device_image(device.data(), static_cast<uint32_t>(device.size()));
  EXPECT_FALSE(t.load(device_image));
  EXPECT_EQ(t.node(FileTree::kRoot).first_child, FileTree::kNoNode);
  CpioBuilder c;
  c.file("a/../b", "x");
  c.trailer();
  const std::vector<uint8_t> dot_dot = c.bytes();
  MemoryImage dot_dot_image(dot_dot.data(), static_cast<uint32_t>(dot_dot.size()));
  EXPECT_FALSE(t.load(dot_dot_image));
  const uint8_t junk[] = "070701zz";
  MemoryImage junk_image(junk, sizeof junk);
  EXPECT_FALSE(t.load(junk_image));
  EXPECT_EQ(t.count(), 1u) << "only the root";
  EXPECT_EQ(t.name_bytes_free(), NameStore::kBytes) << "the names copied before the refusal went again";
}

}  // namespace
}  // namespace unixemu

namespace unixemu {
namespace {

TEST_F(UnixFileTree, DevHoldsLinuxsCharacterDevicesOnceWhateverTheCallsMade) {
  const uint32_t root_links = tree_.node(FileTree::kRoot).nlink;
  ASSERT_TRUE(tree_.add_devices());
  ASSERT_TRUE(tree_.add_devices()) << "a second call finds them there";
  EXPECT_EQ(children("/dev"), (std::vector<std::string>{"console", "null", "tty", "zero"}));
  ASSERT_EQ(resolve("/dev"), 0);
  EXPECT_EQ(tree_.node(node_).nlink, 2u) << "no subdirectories";
  EXPECT_EQ(tree_.node(FileTree::kRoot).nlink, root_links + 1);
  struct Expected {
    const char* path;
    Device device;
    uint32_t rdev, mode;
  };
  for (const Expected& e : {Expected{"/dev/null", Device::Null, 0x103, abi::kS_IFCHR | 0666},
                            Expected{"/dev/zero", Device::Zero, 0x105, abi::kS_IFCHR | 0666},
                            Expected{"/dev/tty", Device::Console, 0x500, abi::kS_IFCHR | 0666},
                            Expected{"/dev/console", Device::Console, 0x501, abi::kS_IFCHR | 0600}}) {
    ASSERT_EQ(resolve(e.path), 0) << e.path;
    const Node& n = tree_.node(node_);
    EXPECT_EQ(n.type, NodeType::Device) << e.path;
    EXPECT_EQ(n.device, e.device) << e.path;
    EXPECT_EQ(n.rdev, e.rdev) << e.path;
    EXPECT_EQ(n.mode, e.mode) << e.path;
    EXPECT_EQ(n.nlink, 1u) << e.path;
  }
  EXPECT_EQ(resolve("/dev/null/x"), -abi::kENOTDIR);
}

TEST(UnixFileTreeDevices, AnArchiveWhoseDevIsAFileGetsNone) {
  CpioBuilder b;
  b.file("dev", "not a directory");
  b.trailer();
  const std::vector<uint8_t> archive = b.bytes();
  FileTree tree;
  MemoryImage image(archive.data(), static_cast<uint32_t>(archive.size()));
  ASSERT_TRUE(tree.load(image));
  EXPECT_FALSE(tree.add_devices());
  CpioBuilder c;
  c.directory("dev");
  c.file("dev/null", "a file where the device goes");
  c.trailer();
  const std::vector<uint8_t> other = c.bytes();
  MemoryImage other_image(other.data(), static_cast<uint32_t>(other.size()));
  ASSERT_TRUE(tree.load(other_image));
  EXPECT_FALSE(tree.add_devices()) << "a file named like a device is not turned into one";
}

}  // namespace
}  // namespace unixemu
