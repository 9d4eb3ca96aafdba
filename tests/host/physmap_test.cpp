// The physical memory map: 16-byte records, all mappings of a page found, removal
// during a walk, exhaustion changing nothing, groups of one key off the bucket chains.
#include "physmap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

namespace ck {
namespace {

struct MapFixture : ::testing::Test {
  static constexpr u32 kRecords = 64;
  DependencyRecord records[kRecords];
  GroupLinks links[kRecords];
  u32 buckets[16];
  PhysMap map;

  void SetUp() override { map.init(records, links, kRecords, buckets, 16); }
  void TearDown() override { EXPECT_EQ(map.fault(), nullptr); }

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

TEST_F(MapFixture, OneKeysGroupKeepsOrderCountAndSurvivesAnyRemoval) {
  // Heads removed first, last and in the middle: the group moves its head along.
  std::vector<u32> ids;
  for (u32 i = 0; i < 10; ++i) ids.push_back(map.insert(0x00300000, 0x10000000 + i, 1));
  map.insert(0x00301000, 1, 1);
  EXPECT_EQ(map.count(0x00300000), 10u);
  EXPECT_EQ(map.first(0x00300000), ids[0]);
  map.remove(ids[0]);
  map.remove(ids[9]);
  map.remove(ids[4]);
  EXPECT_EQ(map.fault(), nullptr);
  EXPECT_EQ(map.count(0x00300000), 7u);
  EXPECT_EQ(map.first(0x00300000), ids[1]);
  std::vector<u32> order;
  map.for_each(0x00300000, [&](u32 i, const DependencyRecord&) { order.push_back(i); });
  EXPECT_EQ(order, (std::vector<u32>{ids[1], ids[2], ids[3], ids[5], ids[6], ids[7], ids[8]}));
  for (u32 i : order) map.remove(i);
  EXPECT_EQ(map.count(0x00300000), 0u);
  EXPECT_EQ(map.first(0x00300000), PhysMap::kNone);
  EXPECT_EQ(mappings_of(0x00301000).size(), 1u);
}

TEST_F(MapFixture, ManyRecordsOfOneKeyCostAnotherKeysWalkNothing) {
  // Every key hashing to one bucket is found by walking distinct keys, not records.
  for (u32 i = 0; i < 60; ++i) map.insert(0x00300000, i, 1);
  const u32 other = map.insert(0x00700000, 7, 2);
  u32 visited = 0;
  map.for_each(0x00700000, [&](u32, const DependencyRecord&) { ++visited; });
  EXPECT_EQ(visited, 1u);
  EXPECT_EQ(map.find(0x00700000, 7, 2), other);
  // A chain holds one head per key: at most 2 here, whichever bucket they share.
  u32 longest = 0;
  for (u32 b = 0; b < 16; ++b) {
    u32 n = 0;
    for (u32 i = buckets[b]; i != PhysMap::kNone; i = records[i].link) ++n;
    longest = std::max(longest, n);
  }
  EXPECT_LE(longest, 2u);
}

TEST_F(MapFixture, RandomInsertsAndRemovalsKeepTheStructure) {
  u32 state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  std::vector<u32> live;
  for (u32 round = 0; round < 5000; ++round) {
    if (!live.empty() && (next() >> 16) % 3 == 0) {
      const u32 k = (next() >> 8) % live.size();
      map.remove(live[k]);
      live.erase(live.begin() + k);
    } else {
      const u32 i = map.insert(0x1000 * ((next() >> 12) % 6), round, 1);
      if (i != PhysMap::kNone) live.push_back(i);
    }
    ASSERT_EQ(map.fault(), nullptr) << "round " << round;
    ASSERT_EQ(map.used(), live.size());
  }
}

// A mapping load's one walk of a page's bucket: count_family's place for one key of the
// family, given to insert_at, inserts as insert() does (the same record, its group and
// chain), whether the key has records already or not, among other families' keys.
TEST_F(MapFixture, InsertAtTheCountedPlaceIsInsert) {
  DependencyRecord ref_records[kRecords];
  GroupLinks ref_links[kRecords];
  u32 ref_buckets[16];
  PhysMap reference;
  reference.init(ref_records, ref_links, kRecords, ref_buckets, 16);
  u32 state = 777;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  for (u32 round = 0; round < 60; ++round) {
    const u32 base = 0x1000 * ((next() >> 12) % 5);
    const u32 member = (next() >> 10) % 3;
    u32 counts[PhysMap::kFamilyBits + 1], ref_counts[PhysMap::kFamilyBits + 1];
    PhysMap::Place place;
    map.count_family(base, counts, member, &place);
    reference.count_family(base, ref_counts);
    for (u32 c = 0; c <= PhysMap::kFamilyBits; ++c) ASSERT_EQ(counts[c], ref_counts[c]);
    EXPECT_EQ(place.head, map.first(base | member));
    const u32 at = map.insert_at(place, base | member, round, 1);
    ASSERT_EQ(at, reference.insert(base | member, round, 1));
    ASSERT_EQ(map.fault(), nullptr) << "round " << round;
    EXPECT_EQ(map.count(base | member), reference.count(base | member));
    EXPECT_EQ(map.first(base | member), reference.first(base | member));
  }
  for (u32 i = 0; i < kRecords; ++i) {
    EXPECT_EQ(records[i].key, ref_records[i].key);
    EXPECT_EQ(records[i].link, ref_records[i].link);
    EXPECT_EQ(links[i].next, ref_links[i].next);
    EXPECT_EQ(links[i].others, ref_links[i].others);
  }
}

// A mapping load with a victim keeps its bucket walk's place up to date
// (place_after_removal, asked before the removal): afterwards it is what a fresh walk
// finds, and insert_at there is insert (against a reference map given the same calls),
// whether the removed record was the key's head (alone or not), another of its group,
// of its bucket or of another bucket.
TEST_F(MapFixture, APlaceAfterARemovalIsTheFreshWalksPlace) {
  DependencyRecord ref_records[kRecords];
  GroupLinks ref_links[kRecords];
  u32 ref_buckets[16];
  PhysMap reference;
  reference.init(ref_records, ref_links, kRecords, ref_buckets, 16);
  u32 state = 4242;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  // Full, several of a key and of a family in some buckets.
  for (u32 i = 0; i < kRecords; ++i) {
    const u32 key = 0x1000 * ((next() >> 12) % 24) | (next() >> 10) % 3;
    ASSERT_EQ(map.insert(key, i, 1), reference.insert(key, i, 1));
  }
  u32 heads = 0, lone_heads = 0, same_key = 0;
  for (u32 round = 0; round < 600; ++round) {
    const u32 base = 0x1000 * ((next() >> 12) % 24);
    const u32 member = (next() >> 10) % 3;
    u32 counts[PhysMap::kFamilyBits + 1];
    PhysMap::Place place;
    map.count_family(base, counts, member, &place);
    // Often the key's head (the benchmark's victim is of the new page itself) or the
    // last of its group.
    u32 victim = (next() >> 8) % kRecords;
    const u32 pick = (next() >> 16) % 3;
    if (place.head != PhysMap::kNone && pick != 0) victim = pick == 1 ? place.head : links[place.head].prev;
    ASSERT_TRUE(map.in_use(victim));
    if (victim == place.head) {
      heads += 1;
      lone_heads += map.count(base | member) == 1 ? 1 : 0;
    } else if (map.record(victim).key == (base | member)) {
      same_key += 1;
    }
    const PhysMap::Place after = map.place_after_removal(victim, place);
    map.remove(victim);
    reference.remove(victim);
    PhysMap::Place fresh;
    map.count_family(base, counts, member, &fresh);
    EXPECT_EQ(after.bucket, fresh.bucket) << "round " << round;
    EXPECT_EQ(after.head, fresh.head) << "round " << round;
    ASSERT_EQ(map.insert_at(after, base | member, round, 1), reference.insert(base | member, round, 1));
    ASSERT_EQ(map.fault(), nullptr) << "round " << round;
  }
  for (u32 i = 0; i < kRecords; ++i) {
    EXPECT_EQ(records[i].key, ref_records[i].key);
    EXPECT_EQ(records[i].link, ref_records[i].link);
    EXPECT_EQ(links[i].next, ref_links[i].next);
    EXPECT_EQ(links[i].prev, ref_links[i].prev);
    EXPECT_EQ(links[i].others, ref_links[i].others);
  }
  EXPECT_GT(heads, 100u);
  EXPECT_GT(lone_heads, 20u);
  EXPECT_GT(heads - lone_heads, 20u);
  EXPECT_GT(same_key, 10u);
}

TEST_F(MapFixture, ABrokenRingIsFound) {
  const u32 a = map.insert(0x00300000, 1, 1);
  map.insert(0x00300000, 2, 1);
  links[a].others = 5;
  EXPECT_NE(map.fault(), nullptr);
  links[a].others = 1;
}

}  // namespace
}  // namespace ck
