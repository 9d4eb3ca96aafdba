// Unloads larger than a writeback ring can hold (paper §4.2; issue 14): built with 256
// mapping descriptors, so that one space holds more mappings than a 4 KiB ring has
// slots. Such an unload is a restartable sequence of whole steps: each call ends with
// CK_E_PARTIAL, every invariant holding, until the ring has been drained often enough;
// every object is written back exactly once. An unload that would fit an emptied ring is
// refused with CK_E_RETRY instead, changing nothing.
#include <cstring>
#include <vector>

#include "caches_fixture.h"
#include "ring_reader.h"

namespace ck {
namespace {

static_assert(kMappingCapacity == 256, "written for 256 mappings");

constexpr u32 kRingSlots = 4096 / CK_RING_SLOT_BYTES;  // the fixture's rings
constexpr u32 kMappings = 200;                         // more than a ring holds
constexpr PhysAddr kPages = kMemoryBase + 64 * KiB;

// The kinds of the records in a ring, in order (read as its kernel would).
std::vector<u32> drain_kinds(PhysAddr ring) {
  std::vector<u32> kinds;
  for (const RingRecord& r : drain(ring)) kinds.push_back(r.header.kind);
  return kinds;
}

class RestartableUnloadTest : public CachesTest {
 protected:
  void map_many(u32 caller, ObjectId space, PhysAddr base) {
    for (u32 i = 0; i < kMappings; ++i)
      ASSERT_EQ(caches_.load_mapping(caller, space, VirtAddr(0x10000000 + i * 4096), base + i * 4096, 0), CK_OK);
  }
  // Calls `unload` until it finishes, draining `ring` between calls; the records read.
  template <typename Unload>
  std::vector<u32> unload_in_steps(Unload&& unload, PhysAddr ring, u32* partial_calls) {
    std::vector<u32> kinds;
    ck_status s;
    *partial_calls = 0;
    while ((s = unload()) == CK_E_PARTIAL) {
      EXPECT_TRUE(caches_.consistent()) << "after step " << *partial_calls;
      const std::vector<u32> more = drain_kinds(ring);
      EXPECT_FALSE(more.empty()) << "a partial call made progress";
      kinds.insert(kinds.end(), more.begin(), more.end());
      *partial_calls += 1;
      if (*partial_calls > kMappings) break;
    }
    EXPECT_EQ(s, CK_OK);
    const std::vector<u32> last = drain_kinds(ring);
    kinds.insert(kinds.end(), last.begin(), last.end());
    return kinds;
  }
};

TEST_F(RestartableUnloadTest, ASpaceLargerThanItsRingLeavesInStepsEachRecordOnce) {
  ObjectId s;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 5, 0, &s), CK_OK);
  map_many(srm_, s, kPages);
  u32 partial = 0;
  const std::vector<u32> kinds = unload_in_steps([&] { return caches_.unload_space(srm_, s); }, kSrmRing, &partial);
  EXPECT_GE(partial, kMappings / kRingSlots) << "the ring filled at least that often";
  ASSERT_EQ(kinds.size(), kMappings + 1);
  for (u32 i = 0; i < kMappings; ++i) EXPECT_EQ(kinds[i], CK_WB_MAPPING);
  EXPECT_EQ(kinds.back(), CK_WB_SPACE) << "the space itself last";
  EXPECT_EQ(caches_.loaded(CK_OBJECT_MAPPING), 0u);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_SPACE), 1u) << "the first kernel's home is left";
}

TEST_F(RestartableUnloadTest, AKernelLargerThanItsRingLeavesInStepsItsRecordToTheFirstKernel) {
  ObjectId space;
  kernel_b(50, 10, &space);
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + 2 * MiB, 1 * MiB, CK_RIGHTS_READ_WRITE), CK_OK);
  map_many(b_.slot(ObjectCaches::Kernels::kSlotBits), space, kMemoryBase + 2 * MiB);
  drain(kSrmRing);
  u32 partial = 0;
  const std::vector<u32> kinds = unload_in_steps([&] { return caches_.unload_kernel(srm_, b_); }, kRingB, &partial);
  EXPECT_GE(partial, 1u);
  ASSERT_EQ(kinds.size(), kMappings + 1) << "its mappings and its space, in its own ring";
  const std::vector<u32> srm = drain_kinds(kSrmRing);
  ASSERT_EQ(srm.size(), 1u);
  EXPECT_EQ(srm[0], CK_WB_KERNEL);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_KERNEL), 1u);
}

TEST_F(RestartableUnloadTest, AnUnloadThatWouldFitAnEmptiedRingIsRefusedWhole) {
  ObjectId s;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 5, 0, &s), CK_OK);
  for (u32 i = 0; i < 10; ++i)
    ASSERT_EQ(caches_.load_mapping(srm_, s, VirtAddr(0x10000000 + i * 4096), kPages + i * 4096, 0), CK_OK);
  // Fill the ring with records of another space's loads and unloads, unread.
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 6, 0, &other), CK_OK);
  for (u32 i = 0; i < kRingSlots - 8; ++i) {
    ASSERT_EQ(caches_.load_mapping(srm_, other, VirtAddr(0x20000000), kPages, 0), CK_OK);
    ASSERT_EQ(caches_.unload_mapping(srm_, other, VirtAddr(0x20000000)), CK_OK);
  }
  const u32 before = caches_.digest();
  EXPECT_EQ(caches_.unload_space(srm_, s), CK_E_RETRY);
  EXPECT_EQ(caches_.digest(), before) << "nothing unloaded";
  drain(kSrmRing);
  EXPECT_EQ(caches_.unload_space(srm_, s), CK_OK) << "whole, once the ring is empty";
  EXPECT_EQ(drain_kinds(kSrmRing).size(), 11u);
}

}  // namespace
}  // namespace ck
