// The UNIX emulator's cpio "newc" reader (ak-unix/cpio.h): well-formed archives are
// walked entry by entry, however the image cuts it into views; anything malformed or
// unreadable stops the walk with an error, never reads outside the archive.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cpio.h"
#include "cpio_builder.h"
#include "test_image.h"

namespace unixemu {
namespace {

TEST(UnixCpio, WalksEntriesAndStopsAtTheTrailer) {
  CpioBuilder b;
  b.directory("etc");
  b.file("etc/hello", "hello, world\n");
  b.symlink("etc/link", "hello");
  b.trailer();
  b.file("after", "never seen");
  const std::vector<uint8_t> a = b.bytes();
  MemoryImage image(a.data(), static_cast<uint32_t>(a.size()));
  CpioReader r(image);
  CpioEntry e;
  auto data = [&] { return std::string(reinterpret_cast<const char*>(a.data()) + e.data_offset, e.data_bytes); };
  ASSERT_TRUE(r.next(&e));
  EXPECT_EQ(std::string(e.name, e.name_bytes), "etc");
  EXPECT_EQ(e.mode, 040755u);
  ASSERT_TRUE(r.next(&e));
  EXPECT_EQ(std::string(e.name), "etc/hello");
  EXPECT_EQ(data(), "hello, world\n");
  ASSERT_TRUE(r.next(&e));
  EXPECT_EQ(e.mode & 0170000, 0120000u);
  EXPECT_EQ(data(), "hello");
  EXPECT_FALSE(r.next(&e));
  EXPECT_FALSE(r.error());
}

TEST(UnixCpio, RefusesEveryTruncationOfAnArchive) {
  CpioBuilder b;
  b.file("a", "0123456789");
  b.file("bb", "x");
  b.trailer();
  const std::vector<uint8_t> a = b.bytes();
  // Cut anywhere: the walk ends (with an error unless the cut is between entries) and
  // every entry it gives lies inside the bytes it was given.
  for (size_t cut = 0; cut < a.size(); ++cut) {
    MemoryImage image(a.data(), static_cast<uint32_t>(cut));
    CpioReader r(image);
    CpioEntry e;
    uint32_t n = 0;
    while (r.next(&e)) {
      ++n;
      EXPECT_LE(e.data_offset + e.data_bytes, cut);
    }
    EXPECT_LE(n, 2u);
  }
}

TEST(UnixCpio, RefusesBadMagicDigitsAndNames) {
  CpioBuilder good;
  good.file("a", "x");
  good.trailer();
  std::vector<uint8_t> a = good.bytes();
  for (size_t i : {0u, 5u, 6u + 8 * 11, 20u}) {  // magic, a field digit, the name size
    std::vector<uint8_t> bad = a;
    bad[i] = 'z';
    MemoryImage image(bad.data(), static_cast<uint32_t>(bad.size()));
    CpioReader r(image);
    CpioEntry e;
    EXPECT_FALSE(r.next(&e)) << i;
    EXPECT_TRUE(r.error()) << i;
  }
  // A name without its NUL.
  std::vector<uint8_t> bad = a;
  bad[110 + 1] = 'q';  // "a\0" -> "aq"
  MemoryImage image(bad.data(), static_cast<uint32_t>(bad.size()));
  CpioReader r(image);
  CpioEntry e;
  EXPECT_FALSE(r.next(&e));
  EXPECT_TRUE(r.error());
}

struct Walked {
  std::string name;
  uint32_t mode, data_offset, data_bytes;
  bool operator==(const Walked&) const = default;
};

std::vector<Walked> walk(ImageReader& image, bool* error) {
  CpioReader r(image);
  CpioEntry e;
  std::vector<Walked> out;
  while (r.next(&e)) out.push_back(Walked{std::string(e.name, e.name_bytes), e.mode, e.data_offset, e.data_bytes});
  *error = r.error();
  return out;
}

// The archive lies in the PROM, reached through windows: a header or a name split
// between views (at any byte) is read whole.
TEST(UnixCpio, HeadersAndNamesAcrossViewBoundariesReadWhole) {
  CpioBuilder b;
  b.directory("etc");
  b.file("etc/a-longer-name-than-most", "0123456789abcdef");
  b.symlink("etc/link", "a-longer-name-than-most");
  b.file("x", "");
  b.trailer();
  const std::vector<uint8_t> a = b.bytes();
  MemoryImage whole(a.data(), static_cast<uint32_t>(a.size()));
  bool error = true;
  const std::vector<Walked> expected = walk(whole, &error);
  ASSERT_FALSE(error);
  ASSERT_EQ(expected.size(), 4u);
  for (uint32_t chunk = 1; chunk <= 130; ++chunk) {
    TestImage choppy(a.data(), static_cast<uint32_t>(a.size()), chunk);
    EXPECT_EQ(walk(choppy, &error), expected) << "views of " << chunk << " bytes";
    EXPECT_FALSE(error) << chunk;
  }
}

TEST(UnixCpio, RefusesANameLongerThanItsBuffer) {
  for (uint32_t length : {CpioReader::kMaxNameBytes - 1, CpioReader::kMaxNameBytes}) {
    CpioBuilder b;
    b.file(std::string(length, 'n'), "x");
    b.trailer();
    const std::vector<uint8_t> a = b.bytes();
    MemoryImage image(a.data(), static_cast<uint32_t>(a.size()));
    bool error = false;
    const std::vector<Walked> entries = walk(image, &error);
    const bool fits = length + 1 <= CpioReader::kMaxNameBytes;  // with its NUL
    EXPECT_EQ(entries.size(), fits ? 1u : 0u) << length;
    EXPECT_EQ(error, !fits) << length;
  }
}

TEST(UnixCpio, AnArchiveThatCannotBeReadStopsWithAnError) {
  CpioBuilder b;
  b.file("a", "x");
  b.trailer();
  const std::vector<uint8_t> a = b.bytes();
  TestImage image(a.data(), static_cast<uint32_t>(a.size()));
  image.reachable = false;
  bool error = false;
  EXPECT_TRUE(walk(image, &error).empty());
  EXPECT_TRUE(error);
}

}  // namespace
}  // namespace unixemu
