// Copies from and to user memory (kernel/user_memory.h): through the space's own
// translations, whole or not at all, in one page (the common case of a call's argument)
// or across two.
#include "user_memory.h"

#include <gtest/gtest.h>

#include <cstring>

#include "fake_machine.h"

namespace ck {
namespace {

using fake_machine::kMemoryBase;

constexpr VirtAddr kData(0x20000000);

class UserMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_machine::reset();
    root_ = arch::create_page_tables();
    ASSERT_NE(root_.value(), 0u);
    // Two pages, mapped to frames in reverse order, each filled with its own pattern.
    for (u32 i = 0; i < 2; ++i) {
      ASSERT_EQ(arch::map_page(root_, kData + i * arch::kPageBytes, frame(i), i == 0), arch::MapStatus::Ok);
      u8* bytes = static_cast<u8*>(arch::physical_memory(frame(i)));
      for (u32 b = 0; b < arch::kPageBytes; ++b) bytes[b] = pattern(i, b);
    }
  }
  static PhysAddr frame(u32 i) { return kMemoryBase + (8 - i) * arch::kPageBytes; }
  static u8 pattern(u32 page, u32 offset) { return static_cast<u8>(page * 101 + offset * 7 + 3); }

  PhysAddr root_;
};

TEST_F(UserMemoryTest, OnePageCopiesAtEveryOffsetAndLength) {
  for (u32 offset : {0u, 1u, 2u, 3u, 100u, arch::kPageBytes - 24}) {
    u8 out[24];
    std::memset(out, 0xee, sizeof out);
    ASSERT_TRUE(copy_from_user(root_, kData + offset, out, sizeof out));
    for (u32 i = 0; i < sizeof out; ++i) ASSERT_EQ(out[i], pattern(0, offset + i)) << offset << " " << i;
  }
  u8 last = 0;
  ASSERT_TRUE(copy_from_user(root_, kData + (2 * arch::kPageBytes - 1), &last, 1));
  EXPECT_EQ(last, pattern(1, arch::kPageBytes - 1));
}

// Small whole-longword copies (a call's argument) are moved by copy_from_user itself,
// the rest by memcpy: each length copies exactly its bytes, at any alignment.
TEST_F(UserMemoryTest, EachLengthAroundTheSmallCopiesCopiesExactlyItsBytes) {
  for (u32 bytes : {1u, 3u, 4u, 20u, 28u, 32u, 36u, 40u, 212u}) {
    for (u32 offset : {0u, 1u, 2u, 3u}) {
      u8 out[256];
      std::memset(out, 0xee, sizeof out);
      ASSERT_TRUE(copy_from_user(root_, kData + offset, out, bytes));
      for (u32 i = 0; i < bytes; ++i) ASSERT_EQ(out[i], pattern(0, offset + i)) << bytes << " " << offset << " " << i;
      for (u32 i = bytes; i < sizeof out; ++i) ASSERT_EQ(out[i], 0xee) << bytes << " " << offset << " " << i;
    }
  }
}

TEST_F(UserMemoryTest, ACopyAcrossTwoPagesTakesEachFromItsFrame) {
  u8 out[16];
  ASSERT_TRUE(copy_from_user(root_, kData + (arch::kPageBytes - 5), out, sizeof out));
  for (u32 i = 0; i < 5; ++i) EXPECT_EQ(out[i], pattern(0, arch::kPageBytes - 5 + i));
  for (u32 i = 5; i < sizeof out; ++i) EXPECT_EQ(out[i], pattern(1, i - 5));
}

TEST_F(UserMemoryTest, UnmappedWrappingOrOversizedCopiesCopyNothing) {
  u8 out[16];
  std::memset(out, 0xee, sizeof out);
  EXPECT_FALSE(copy_from_user(root_, kData + (2 * arch::kPageBytes - 4), out, sizeof out)) << "the third page";
  EXPECT_FALSE(copy_from_user(root_, VirtAddr(kData.value() - 4), out, sizeof out)) << "the page before";
  EXPECT_FALSE(copy_from_user(root_, VirtAddr(0xfffffff8), out, sizeof out)) << "wraps";
  EXPECT_FALSE(copy_from_user(root_, kData + 3 * arch::kPageBytes, out, 1)) << "unmapped";
  for (u8 b : out) EXPECT_EQ(b, 0xee);
  static u8 big[kMaxUserCopyBytes + 1];
  EXPECT_FALSE(copy_from_user(root_, kData, big, sizeof big)) << "over the maximum";
  EXPECT_TRUE(copy_from_user(root_, kData, out, 0)) << "nothing to copy";
}

// A thread state read in place (CK_LOAD_THREAD): the frame's own bytes, or nullptr (the
// caller copies) when the range is not longword-aligned, leaves its page or is unmapped.
TEST_F(UserMemoryTest, AViewIsTheFramesBytesInOneAlignedMappedPage) {
  for (u32 offset : {0u, 4u, 100u, arch::kPageBytes - 212}) {
    const u8* p = static_cast<const u8*>(user_view(root_, kData + offset, 212));
    ASSERT_EQ(p, static_cast<const u8*>(arch::physical_memory(frame(0))) + offset) << offset;
    for (u32 i = 0; i < 212; ++i) ASSERT_EQ(p[i], pattern(0, offset + i)) << offset << " " << i;
  }
  EXPECT_EQ(user_view(root_, kData + arch::kPageBytes, 4), arch::physical_memory(frame(1))) << "the second page";
  for (u32 offset : {1u, 2u, 3u, 6u}) EXPECT_EQ(user_view(root_, kData + offset, 212), nullptr) << offset;
  EXPECT_EQ(user_view(root_, kData + (arch::kPageBytes - 208), 212), nullptr) << "across two pages";
  EXPECT_EQ(user_view(root_, kData + 2 * arch::kPageBytes, 4), nullptr) << "unmapped";
  EXPECT_EQ(user_view(root_, VirtAddr(kData.value() - 4), 4), nullptr) << "the page before";
  EXPECT_EQ(user_view(root_, kData, 0), nullptr) << "nothing to read";
}

TEST_F(UserMemoryTest, CopiesToUserNeedWritablePages) {
  const u8 in[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_TRUE(copy_to_user(root_, kData + 8, in, sizeof in));
  EXPECT_EQ(std::memcmp(static_cast<u8*>(arch::physical_memory(frame(0))) + 8, in, sizeof in), 0);
  EXPECT_FALSE(copy_to_user(root_, kData + (arch::kPageBytes - 4), in, sizeof in)) << "the second page is read-only";
  EXPECT_EQ(static_cast<u8*>(arch::physical_memory(frame(0)))[arch::kPageBytes - 4], pattern(0, arch::kPageBytes - 4));
}

// Within one page (a call's result: CK_EXCEPTION_FPU's 108 bytes) at any offset and
// length: exactly its bytes, the page marked modified; a read-only or unmapped page
// refused with nothing written.
TEST_F(UserMemoryTest, OnePageCopiesToUserWriteExactlyTheirBytesAndMarkThePageModified) {
  u8 in[128];
  for (u32 i = 0; i < sizeof in; ++i) in[i] = static_cast<u8>(0xc0 + i);
  for (u32 bytes : {1u, 3u, 4u, 108u, 128u}) {
    for (u32 offset : {0u, 1u, 2u, 3u, 100u, arch::kPageBytes - bytes}) {
      SetUp();  // a fresh machine: the page not modified yet
      const u8* page = static_cast<const u8*>(arch::physical_memory(frame(0)));
      ASSERT_TRUE(copy_to_user(root_, kData + offset, in, bytes)) << bytes << " " << offset;
      for (u32 b = 0; b < arch::kPageBytes; ++b) {
        const u8 expected = b >= offset && b < offset + bytes ? in[b - offset] : pattern(0, b);
        ASSERT_EQ(page[b], expected) << bytes << " " << offset << " " << b;
      }
      arch::PageState s;
      ASSERT_TRUE(arch::lookup_page(root_, kData, &s));
      EXPECT_TRUE(s.modified) << bytes << " " << offset;
    }
  }
  SetUp();
  EXPECT_FALSE(copy_to_user(root_, kData + arch::kPageBytes, in, 4)) << "the second page is read-only";
  EXPECT_FALSE(copy_to_user(root_, kData + 2 * arch::kPageBytes, in, 4)) << "unmapped";
  EXPECT_EQ(static_cast<u8*>(arch::physical_memory(frame(1)))[0], pattern(1, 0));
}

}  // namespace
}  // namespace ck
