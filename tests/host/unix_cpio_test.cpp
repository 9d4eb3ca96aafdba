// The UNIX emulator's cpio "newc" reader (ak-unix/cpio.h): well-formed archives are
// walked entry by entry; anything malformed stops the walk with an error, never reads
// outside the archive.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cpio.h"
#include "cpio_builder.h"

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
  CpioReader r(a.data(), static_cast<uint32_t>(a.size()));
  CpioEntry e;
  ASSERT_TRUE(r.next(&e));
  EXPECT_EQ(std::string(e.name, e.name_bytes), "etc");
  EXPECT_EQ(e.mode, 040755u);
  ASSERT_TRUE(r.next(&e));
  EXPECT_EQ(std::string(e.name), "etc/hello");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(e.data), e.data_bytes), "hello, world\n");
  ASSERT_TRUE(r.next(&e));
  EXPECT_EQ(e.mode & 0170000, 0120000u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(e.data), e.data_bytes), "hello");
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
    CpioReader r(a.data(), static_cast<uint32_t>(cut));
    CpioEntry e;
    uint32_t n = 0;
    while (r.next(&e)) {
      ++n;
      EXPECT_LE(e.data + e.data_bytes, a.data() + cut);
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
    CpioReader r(bad.data(), static_cast<uint32_t>(bad.size()));
    CpioEntry e;
    EXPECT_FALSE(r.next(&e)) << i;
    EXPECT_TRUE(r.error()) << i;
  }
  // A name without its NUL.
  std::vector<uint8_t> bad = a;
  bad[110 + 1] = 'q';  // "a\0" -> "aq"
  CpioReader r(bad.data(), static_cast<uint32_t>(bad.size()));
  CpioEntry e;
  EXPECT_FALSE(r.next(&e));
  EXPECT_TRUE(r.error());
}

}  // namespace
}  // namespace unixemu
