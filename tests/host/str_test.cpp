// Host tests for kernel/lib/str.h.
#include "lib/str.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

TEST(ParseU32, AcceptsDecimalAndHex) {
  u32 v = 0;
  EXPECT_TRUE(parse_u32("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(parse_u32("4294967295", &v));
  EXPECT_EQ(v, 4294967295u);
  EXPECT_TRUE(parse_u32("0xff008000", &v));
  EXPECT_EQ(v, 0xff008000u);
  EXPECT_TRUE(parse_u32("0XABC", &v));
  EXPECT_EQ(v, 0xabcu);
}

TEST(ParseU32, RejectsJunkAndOverflowWithoutTouchingOutput) {
  u32 v = 77;
  for (const char* bad : {"", "0x", "12a", "-1", "4294967296", "0x100000000", " 1", "1 "}) {
    EXPECT_FALSE(parse_u32(bad, &v)) << bad;
    EXPECT_EQ(v, 77u) << bad;
  }
}

TEST(StrView, SubstrClampsAndCompares) {
  const StrView s("hello world");
  EXPECT_TRUE(s.substr(6, 100) == "world");
  EXPECT_TRUE(s.substr(50, 2).empty());
  EXPECT_TRUE(s.starts_with("hello"));
  EXPECT_FALSE(s.starts_with("world"));
  EXPECT_EQ(s.find(' '), 5u);
  EXPECT_EQ(s.find('z'), s.size());
}

TEST(CopyTerminated, TruncatesAndReportsIt) {
  char buffer[6];
  EXPECT_TRUE(copy_terminated("abc", buffer, sizeof buffer));
  EXPECT_STREQ(buffer, "abc");
  EXPECT_FALSE(copy_terminated("abcdefgh", buffer, sizeof buffer));
  EXPECT_STREQ(buffer, "abcde");
}

}  // namespace
}  // namespace ck
