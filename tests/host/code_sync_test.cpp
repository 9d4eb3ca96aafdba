// CK_SYNC_CODE's checks (kernel/code_sync.h): a range is synced page by page only when
// every page of it is mapped in the caller's space; a refused range syncs nothing.
#include "code_sync.h"

#include <gtest/gtest.h>

#include <vector>

#include "fake_machine.h"

namespace ck {
namespace {

using fake_machine::kMemoryBase;

constexpr VirtAddr kCode(0x10000000);

class CodeSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_machine::reset();
    root_ = arch::create_page_tables();
    ASSERT_NE(root_.value(), 0u);
  }
  // Maps `count` pages from kCode to the frames from kMemoryBase + 16 pages, backwards,
  // so that the synced physical pages show the translation was used.
  void map_pages(u32 count) {
    for (u32 i = 0; i < count; ++i)
      ASSERT_EQ(arch::map_page(root_, kCode + i * arch::kPageBytes, frame(i), false), arch::MapStatus::Ok);
  }
  static PhysAddr frame(u32 i) { return kMemoryBase + (16 - i) * arch::kPageBytes; }
  static const std::vector<PhysAddr>& synced() { return fake_machine::synced_code_pages(); }

  PhysAddr root_;
};

TEST_F(CodeSyncTest, EveryPageTheRangeTouchesIsSyncedAtItsPhysicalAddress) {
  map_pages(3);
  // From the last 4 bytes of page 0 to the first byte of page 2.
  EXPECT_EQ(sync_code(root_, kCode + (arch::kPageBytes - 4), arch::kPageBytes + 5), CK_OK);
  EXPECT_EQ(synced(), (std::vector<PhysAddr>{frame(0), frame(1), frame(2)}));
}

TEST_F(CodeSyncTest, OneByteSyncsOnePageAndNoBytesNothing) {
  map_pages(1);
  EXPECT_EQ(sync_code(root_, kCode + 100, 0), CK_OK);
  EXPECT_TRUE(synced().empty());
  EXPECT_EQ(sync_code(root_, kCode + 100, 1), CK_OK);
  EXPECT_EQ(synced(), std::vector<PhysAddr>{frame(0)});
}

TEST_F(CodeSyncTest, ARangeWithAnUnmappedPageIsRefusedAndNothingIsSynced) {
  map_pages(2);
  EXPECT_EQ(sync_code(root_, kCode, 3 * arch::kPageBytes), CK_E_NOT_MAPPED);     // page 2 is not mapped
  EXPECT_EQ(sync_code(root_, VirtAddr(kCode.value() - 1), 2), CK_E_NOT_MAPPED);  // the page before is not
  EXPECT_TRUE(synced().empty());
}

TEST_F(CodeSyncTest, ARangeThatWrapsIsAnAddressError) {
  map_pages(1);
  EXPECT_EQ(sync_code(root_, VirtAddr(0xfffff000), 0x2000), CK_E_ADDRESS);
  EXPECT_TRUE(synced().empty());
}

TEST_F(CodeSyncTest, ARangeOverTheMaximumIsAnArgumentError) {
  map_pages(1);
  EXPECT_EQ(sync_code(root_, kCode, CK_SYNC_CODE_MAX + 1), CK_E_ARGUMENT);
  EXPECT_TRUE(synced().empty());
}

TEST_F(CodeSyncTest, AnotherSpacesMappingsDoNotCount) {
  map_pages(1);
  const PhysAddr other = arch::create_page_tables();
  EXPECT_EQ(sync_code(other, kCode, 4), CK_E_NOT_MAPPED);
  EXPECT_TRUE(synced().empty());
}

}  // namespace
}  // namespace ck
