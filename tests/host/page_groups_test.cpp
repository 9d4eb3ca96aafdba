// Page-group rights: granularity, read versus read-write, bad ranges changing nothing.
#include "page_groups.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

// The paper's 2 KiB, and the range of bytes ever set (clear() clears only those).
TEST(PageGroups, TwoKilobytesPerKernel) { EXPECT_EQ(sizeof(PageGroups), 2048u + 4u); }

TEST(PageGroups, NothingIsAllowedByDefault) {
  PageGroups g;
  EXPECT_FALSE(g.allows(PhysAddr(0), false));
  EXPECT_FALSE(g.allows(PhysAddr(0xfff00000), false));
  EXPECT_EQ(g.bytes_with(Rights::Read), 0u);
}

TEST(PageGroups, RightsApplyToWholeGroups) {
  PageGroups g;
  ASSERT_TRUE(g.set(PhysAddr(0x00100000), 2 * kGroupBytes, Rights::ReadWrite));
  EXPECT_TRUE(g.allows(PhysAddr(0x00100000), true));
  EXPECT_TRUE(g.allows(PhysAddr(0x001ff000), true));
  EXPECT_FALSE(g.allows(PhysAddr(0x000ff000), false)) << "the group below";
  EXPECT_FALSE(g.allows(PhysAddr(0x00200000), false)) << "the group above";
  EXPECT_EQ(g.bytes_with(Rights::ReadWrite), 2u * kGroupBytes);
}

TEST(PageGroups, ReadOnlyGroupsRefuseWritableMappings) {
  PageGroups g;
  ASSERT_TRUE(g.set(PhysAddr(0x00080000), kGroupBytes, Rights::Read));
  EXPECT_TRUE(g.allows(PhysAddr(0x00080000), false));
  EXPECT_FALSE(g.allows(PhysAddr(0x00080000), true));
  EXPECT_EQ(g.bytes_with(Rights::Read), kGroupBytes);
  EXPECT_EQ(g.bytes_with(Rights::ReadWrite), 0u);
}

TEST(PageGroups, NeighbouringGroupsInOneByteAreIndependent) {
  PageGroups g;
  for (u32 i = 0; i < 4; ++i)
    ASSERT_TRUE(g.set(PhysAddr(i * kGroupBytes), kGroupBytes, i % 2 ? Rights::Read : Rights::ReadWrite));
  ASSERT_TRUE(g.set(PhysAddr(2 * kGroupBytes), kGroupBytes, Rights::None));
  EXPECT_EQ(g.rights(PhysAddr(0)), Rights::ReadWrite);
  EXPECT_EQ(g.rights(PhysAddr(kGroupBytes)), Rights::Read);
  EXPECT_EQ(g.rights(PhysAddr(2 * kGroupBytes)), Rights::None);
  EXPECT_EQ(g.rights(PhysAddr(3 * kGroupBytes)), Rights::Read);
}

TEST(PageGroups, BadRangesChangeNothing) {
  PageGroups g;
  EXPECT_FALSE(g.set(PhysAddr(0x1000), kGroupBytes, Rights::ReadWrite)) << "unaligned base";
  EXPECT_FALSE(g.set(PhysAddr(0), kGroupBytes + 4096, Rights::ReadWrite)) << "unaligned size";
  EXPECT_FALSE(g.set(PhysAddr(0xfff80000), 2 * kGroupBytes, Rights::ReadWrite)) << "past 4 GiB";
  EXPECT_EQ(g.bytes_with(Rights::Read), 0u);
  EXPECT_TRUE(g.set(PhysAddr(0xfff80000), kGroupBytes, Rights::ReadWrite)) << "the last group";
  EXPECT_TRUE(g.allows(PhysAddr(0xfffff000), true));
}

// clear() clears only the bytes rights were set in: wherever they were, and however
// many separate grants, nothing stays allowed; a copy clears alike.
TEST(PageGroups, ClearTakesEveryGrantAway) {
  PageGroups g;
  ASSERT_TRUE(g.set(PhysAddr(0x00100000), 3 * kGroupBytes, Rights::ReadWrite));
  ASSERT_TRUE(g.set(PhysAddr(0xfff80000), kGroupBytes, Rights::Read));
  ASSERT_TRUE(g.set(PhysAddr(0x40000000), kGroupBytes, Rights::ReadWrite));
  ASSERT_TRUE(g.set(PhysAddr(0x40000000), kGroupBytes, Rights::None));
  PageGroups copy = g;
  g.clear();
  copy.clear();
  for (const PageGroups* p : {&g, &copy}) {
    EXPECT_EQ(p->bytes_with(Rights::Read), 0u);
    for (u32 group = 0; group < kGroupCount; ++group)
      ASSERT_EQ(p->rights(PhysAddr(group * kGroupBytes)), Rights::None) << "group " << group;
  }
  ASSERT_TRUE(g.set(PhysAddr(0x00200000), kGroupBytes, Rights::Read));
  EXPECT_EQ(g.bytes_with(Rights::Read), kGroupBytes) << "set again after a clear";
  g.clear();
  EXPECT_EQ(g.bytes_with(Rights::Read), 0u);
}

}  // namespace
}  // namespace ck
