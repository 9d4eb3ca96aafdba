// Host tests for kernel/lib/format.h.
#include "lib/format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace ck {
namespace {

template <typename... Args>
std::string fmt(const char* f, const Args&... args) {
  char buffer[256];
  const StrView out = format_into(buffer, sizeof buffer, f, args...);
  return std::string(out.data(), out.size());
}

TEST(Format, PlainTextAndEscapes) {
  EXPECT_EQ(fmt("no placeholders"), "no placeholders");
  EXPECT_EQ(fmt("{{literal}} {}", 1), "{literal} 1");
}

TEST(Format, Integers) {
  EXPECT_EQ(fmt("{} {} {}", 0, 42u, -42), "0 42 -42");
  EXPECT_EQ(fmt("{}", INT32_MIN), "-2147483648");
  EXPECT_EQ(fmt("{}", UINT64_MAX), "18446744073709551615");
  EXPECT_EQ(fmt("{}", INT64_MIN), "-9223372036854775808");
  EXPECT_EQ(fmt("{}", static_cast<u8>(200)), "200");
}

TEST(Format, BasesAndPrefixes) {
  EXPECT_EQ(fmt("{:x} {:X} {:#x}", 0xbeefu, 0xbeefu, 0xbeefu), "beef BEEF 0xbeef");
  EXPECT_EQ(fmt("{:b} {:#b}", 5u, 5u), "101 0b101");
  EXPECT_EQ(fmt("{:#010x}", 0x1234u), "0x00001234");
  EXPECT_EQ(fmt("{:08x}", 0xffu), "000000ff");
  // Negative numbers in hex show their two's complement, as a kernel engineer expects.
  EXPECT_EQ(fmt("{:x}", -1), "ffffffffffffffff");
}

TEST(Format, WidthAndAlignment) {
  EXPECT_EQ(fmt("[{:5}]", 42), "[   42]");
  EXPECT_EQ(fmt("[{:<5}]", 42), "[42   ]");
  EXPECT_EQ(fmt("[{:>5}]", "ab"), "[   ab]");
  EXPECT_EQ(fmt("[{:<5}]", "ab"), "[ab   ]");
  EXPECT_EQ(fmt("[{:2}]", "toolong"), "[toolong]");
  EXPECT_EQ(fmt("[{:05}]", -42), "[-0042]");
}

TEST(Format, OtherKinds) {
  EXPECT_EQ(fmt("{} {}", true, false), "true false");
  EXPECT_EQ(fmt("{}", 'c'), "c");
  EXPECT_EQ(fmt("{:c}", 65u), "A");
  EXPECT_EQ(fmt("{}", StrView("view")), "view");
  EXPECT_EQ(fmt("{}", PhysAddr(0x1000)), "4096");
  EXPECT_EQ(fmt("{:#x}", VirtAddr(0x1000)), "0x1000");
  EXPECT_EQ(fmt("{}", reinterpret_cast<const void*>(0x1234)), "0x1234");
}

enum class Color : u8 { Red = 3 };

TEST(Format, EnumsPrintTheirValue) { EXPECT_EQ(fmt("{}", Color::Red), "3"); }

TEST(Format, MissingArgumentsAreVisible) {
  EXPECT_EQ(fmt("a {} b {}", 1), "a 1 b {?}");
  EXPECT_EQ(fmt("unterminated {", 1), "unterminated {");
}

TEST(BufferSink, TruncatesAndSaysSo) {
  char buffer[8];
  BufferSink sink(buffer, sizeof buffer);
  format(sink, "{}", "0123456789");
  EXPECT_STREQ(sink.c_str(), "0123456");
  EXPECT_TRUE(sink.truncated());
  sink.clear();
  format(sink, "ok");
  EXPECT_STREQ(sink.c_str(), "ok");
  EXPECT_FALSE(sink.truncated());
}

}  // namespace
}  // namespace ck
