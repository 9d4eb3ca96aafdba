// Object identifiers and the descriptor cache: fresh identifiers per load, stale and
// foreign identifiers refused, clock replacement honouring locks and second chances.
#include "descriptor_cache.h"

#include <gtest/gtest.h>

#include <vector>

#include <set>

namespace ck {
namespace {

struct Item {
  int value = 0;
};

using SmallCache = DescriptorCache<Item, 4, ObjectType::Thread>;

TEST(ObjectId, Layout) {
  EXPECT_EQ(slot_bits_for(16), 4u);
  EXPECT_EQ(slot_bits_for(64), 6u);
  EXPECT_EQ(slot_bits_for(65536), 16u);
  EXPECT_EQ(slot_bits_for(5), 3u);
  const ObjectId id = ObjectId::make(ObjectType::AddressSpace, 6, 37, 12345);
  EXPECT_EQ(id.type(), ObjectType::AddressSpace);
  EXPECT_EQ(id.slot(6), 37u);
  EXPECT_EQ(id.generation(6), 12345u);
  EXPECT_NE(id.raw(), 0u);
}

TEST(DescriptorCache, EveryLoadGetsAFreshIdentifier) {
  SmallCache cache;
  std::set<u32> seen;
  for (int round = 0; round < 100; ++round) {
    const u32 slot = cache.allocate();
    ASSERT_NE(slot, SmallCache::kNone);
    EXPECT_TRUE(seen.insert(cache.id_of(slot).raw()).second) << "identifier reused";
    cache.release(slot);
  }
}

TEST(DescriptorCache, StaleAndForeignIdentifiersAreRefused) {
  SmallCache cache;
  const u32 slot = cache.allocate();
  for (u32 i = 1; i < SmallCache::kCapacity; ++i) cache.allocate();
  const ObjectId id = cache.id_of(slot);
  u32 found = 99;
  EXPECT_EQ(cache.find(id, &found), LookupError::None);
  EXPECT_EQ(found, slot);
  cache.release(slot);
  EXPECT_EQ(cache.find(id, &found), LookupError::Stale);
  const u32 again = cache.allocate();
  EXPECT_EQ(again, slot) << "the only free slot";
  EXPECT_EQ(cache.find(id, &found), LookupError::Stale) << "the slot's new occupant is not the old object";
  EXPECT_EQ(cache.find(ObjectId(), &found), LookupError::Invalid);
  EXPECT_EQ(cache.find(ObjectId::make(ObjectType::Kernel, SmallCache::kSlotBits, slot, 1), &found),
            LookupError::Invalid);
  cache.release(3);
  EXPECT_EQ(cache.find(ObjectId::make(ObjectType::Thread, SmallCache::kSlotBits, 3, 1), &found), LookupError::Stale)
      << "slot 3 is not loaded";
}

TEST(DescriptorCache, FullCacheAllocatesNothing) {
  SmallCache cache;
  for (u32 i = 0; i < 4; ++i) EXPECT_NE(cache.allocate(), SmallCache::kNone);
  EXPECT_EQ(cache.allocate(), SmallCache::kNone);
  EXPECT_EQ(cache.loaded_count(), 4u);
}

TEST(DescriptorCache, ClockGivesSecondChancesAndSkipsWhatMayNotGo) {
  SmallCache cache;
  for (u32 i = 0; i < 4; ++i) cache.allocate();
  // Everything was just used: the first sweep clears reference bits, then slot 0 goes.
  EXPECT_EQ(cache.choose_victim([](u32) { return true; }), 0u);
  cache.touch(1);
  EXPECT_EQ(cache.choose_victim([](u32) { return true; }), 2u) << "1 was touched: second chance";
  // Only odd slots may go.
  EXPECT_EQ(cache.choose_victim([](u32 s) { return s % 2 == 1; }), 3u);
  EXPECT_EQ(cache.choose_victim([](u32) { return false; }), SmallCache::kNone);
}

TEST(DescriptorCache, TheClockAsksWhetherAVictimFitsOnlyOfTheSlotItWouldTake) {
  // A victim's writeback plan is costly (a thread's signal mappings, a space's objects):
  // referenced slots get their second chance unplanned; a slot that does not fit is passed.
  SmallCache cache;
  for (u32 i = 0; i < 4; ++i) cache.allocate();
  std::vector<u32> asked;
  const u32 victim = cache.choose_victim([](u32) { return true; },
                                         [&](u32 s) {
                                           asked.push_back(s);
                                           return s != 0;
                                         });
  EXPECT_EQ(victim, 1u);
  EXPECT_EQ(asked, (std::vector<u32>{0, 1})) << "the first sweep only cleared reference bits";
}

TEST(DescriptorCache, GenerationsRunOutByRetiringTheSlot) {
  // 14 slot bits leave 16 bits of generation: a slot can be loaded 65,535 times.
  using Big = DescriptorCache<Item, 1u << 14, ObjectType::AddressSpace>;
  static Big cache;
  ASSERT_EQ(Big::kMaxGeneration, 0xffffu);
  for (u32 i = 0; i < Big::kCapacity; ++i) ASSERT_NE(cache.allocate(), Big::kNone);
  ObjectId last;
  for (u32 load = 1; load < Big::kMaxGeneration; ++load) {
    cache.release(7);
    ASSERT_EQ(cache.allocate(), 7u);
    last = cache.id_of(7);
  }
  EXPECT_EQ(last.generation(Big::kSlotBits), Big::kMaxGeneration);
  cache.release(7);
  EXPECT_EQ(cache.allocate(), Big::kNone) << "slot 7 retired: its identifiers would wrap";
  u32 found = 0;
  EXPECT_EQ(cache.find(last, &found), LookupError::Stale);
}

}  // namespace
}  // namespace ck
