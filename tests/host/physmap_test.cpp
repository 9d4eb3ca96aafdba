// The physical memory map: 16-byte records, all mappings of a page found, removal
// during a walk, exhaustion changing nothing.
#include "physmap.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace ck {
namespace {

struct MapFixture : ::testing::Test {
  static constexpr u32 kRecords = 64;
  DependencyRecord records[kRecords];
  u32 buckets[16];
  PhysMap map;

  void SetUp() override { map.init(records, kRecords, buckets, 16); }

  std::set<std::pair<u32, u32>> mappings_of(u32 page) {
    std::set<std::pair<u32, u32>> out;
    map.for_each(page, [&](u32, const DependencyRecord& r) { out.insert({r.context, r.dependent}); });
    return out;
  }
};

TEST_F(MapFixture, FindsEveryMappingOfAPage) {
  map.insert(0x00300000, 0x10000000, 1);
  map.insert(0x00300000, 0x20000000, 2);
  map.insert(0x00301000, 0x10001000, 1);
  map.insert(0x00300000, 0x30000000, 1);
  EXPECT_EQ(mappings_of(0x00300000),
            (std::set<std::pair<u32, u32>>{{1, 0x10000000}, {2, 0x20000000}, {1, 0x30000000}}));
  EXPECT_EQ(mappings_of(0x00301000), (std::set<std::pair<u32, u32>>{{1, 0x10001000}}));
  EXPECT_TRUE(mappings_of(0x00302000).empty());
  EXPECT_EQ(map.used(), 4u);
}

TEST_F(MapFixture, FindAndRemoveExactRecords) {
  const u32 a = map.insert(0x00300000, 0x10000000, 1);
  const u32 b = map.insert(0x00300000, 0x20000000, 2);
  EXPECT_EQ(map.find(0x00300000, 0x20000000, 2), b);
  EXPECT_EQ(map.find(0x00300000, 0x20000000, 1), PhysMap::kNone);
  map.remove(a);
  EXPECT_EQ(map.find(0x00300000, 0x10000000, 1), PhysMap::kNone);
  EXPECT_EQ(map.find(0x00300000, 0x20000000, 2), b);
  EXPECT_EQ(map.used(), 1u);
}

TEST_F(MapFixture, RemovingDuringAWalkVisitsEveryoneOnce) {
  // Many keys in few buckets, so chains interleave.
  for (u32 i = 0; i < 40; ++i) map.insert(0x00300000 + (i % 5) * 0x1000, i, i % 3);
  u32 visited = 0;
  map.for_each(0x00302000, [&](u32 index, const DependencyRecord&) {
    ++visited;
    map.remove(index);
  });
  EXPECT_EQ(visited, 8u);
  EXPECT_TRUE(mappings_of(0x00302000).empty());
  EXPECT_EQ(map.used(), 32u);
  EXPECT_EQ(mappings_of(0x00301000).size(), 8u);
}

TEST_F(MapFixture, FullMapRefusesAndRecovers) {
  for (u32 i = 0; i < kRecords; ++i) ASSERT_NE(map.insert(0x1000 * i, i, 0), PhysMap::kNone);
  EXPECT_EQ(map.insert(0x00900000, 1, 1), PhysMap::kNone);
  EXPECT_EQ(map.used(), kRecords);
  EXPECT_TRUE(mappings_of(0x00900000).empty());
  map.remove(map.find(0x5000, 5, 0));
  EXPECT_NE(map.insert(0x00900000, 1, 1), PhysMap::kNone);
}

}  // namespace
}  // namespace ck
