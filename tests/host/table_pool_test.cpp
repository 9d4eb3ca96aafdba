// The page-table pool: sizes, alignment, zeroing, exhaustion, buddy merging.
#include "arch/m68k/table_pool.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace ck::m68k {
namespace {

struct PoolFixture : ::testing::Test {
  static constexpr u32 kBytes = 4 * kChunkBytes;
  alignas(512) u32 memory[kBytes / 4];
  TableBlock blocks[kBytes / kBlockBytes];
  TablePool pool;
  const PhysAddr base{0x00200000};

  void SetUp() override {
    for (u32& w : memory) w = 0xa5a5a5a5;
    pool.init(memory, base, kBytes, blocks);
  }
};

TEST_F(PoolFixture, StartsEmptyAndAllocatesAlignedZeroedTables) {
  EXPECT_EQ(pool.free_bytes(), kBytes);
  const PhysAddr root = pool.allocate(TableKind::Root);
  ASSERT_NE(root.value(), 0u);
  EXPECT_EQ(root.value() % 512, 0u);
  EXPECT_TRUE(pool.contains(root));
  for (u32 i = 0; i < table_entries(TableKind::Root); ++i) EXPECT_EQ(pool.entries(root)[i], 0u);
  const PhysAddr page = pool.allocate(TableKind::Page);
  EXPECT_EQ(page.value() % 512, 0u);
  // Its descriptors and its tags.
  for (u32 i = 0; i < 2 * table_entries(TableKind::Page); ++i) EXPECT_EQ(pool.entries(page)[i], 0u);
  EXPECT_EQ(pool.free_bytes(), kBytes - 512 - 512);
}

TEST_F(PoolFixture, APageTableTakesAChunkForItsTags) {
  const PhysAddr a = pool.allocate(TableKind::Page);
  pool.entries(a)[kPageTagOffset + 63] = 0xdeadbeef;
  const PhysAddr b = pool.allocate(TableKind::Page);
  EXPECT_EQ(a.value() ^ b.value(), 512u);
  EXPECT_EQ(pool.free_bytes(), kBytes - 1024);
  pool.release(a, TableKind::Page);
  EXPECT_EQ(pool.allocate(TableKind::Page).value(), a.value());
  EXPECT_EQ(pool.entries(a)[kPageTagOffset + 63], 0u) << "tags cleared with the descriptors";
}

TEST_F(PoolFixture, ExhaustionReturnsZeroAndFreeingRefills) {
  std::vector<PhysAddr> tables;
  for (;;) {
    const PhysAddr t = pool.allocate(TableKind::Pointer);
    if (t.value() == 0) break;
    tables.push_back(t);
  }
  EXPECT_EQ(tables.size(), 4u);
  EXPECT_EQ(pool.free_bytes(), 0u);
  EXPECT_EQ(pool.allocate(TableKind::Page).value(), 0u);
  std::set<u32> distinct;
  for (PhysAddr t : tables) distinct.insert(t.value());
  EXPECT_EQ(distinct.size(), 4u);
  pool.release(tables[2], TableKind::Pointer);
  EXPECT_EQ(pool.allocate(TableKind::Root).value(), tables[2].value());
}

TEST_F(PoolFixture, FreedPageTablesServeAnyKind) {
  std::vector<PhysAddr> pages;
  for (PhysAddr t = pool.allocate(TableKind::Page); t.value() != 0; t = pool.allocate(TableKind::Page))
    pages.push_back(t);
  ASSERT_EQ(pages.size(), kBytes / 512);
  for (usize i = 0; i < pages.size(); i += 2) pool.release(pages[i], TableKind::Page);
  for (usize i = 1; i < pages.size(); i += 2) pool.release(pages[i], TableKind::Page);
  EXPECT_EQ(pool.free_bytes(), kBytes);
  for (int i = 0; i < 4; ++i) EXPECT_NE(pool.allocate(TableKind::Root).value(), 0u);
}

TEST_F(PoolFixture, EntriesInUseIsPerTableAndResetOnAllocation) {
  const PhysAddr a = pool.allocate(TableKind::Page);
  pool.entries_in_use(a) = 7;
  pool.release(a, TableKind::Page);
  const PhysAddr b = pool.allocate(TableKind::Page);
  EXPECT_EQ(pool.entries_in_use(b), 0u);
}

TEST(TablePool, TruncatesToWholeChunks) {
  alignas(512) static u32 memory[3 * 64];
  TableBlock blocks[3];
  TablePool pool;
  pool.init(memory, PhysAddr(0x1000), sizeof memory, blocks);
  EXPECT_EQ(pool.capacity_bytes(), 512u);
  EXPECT_EQ(pool.free_bytes(), 512u);
}

}  // namespace
}  // namespace ck::m68k
