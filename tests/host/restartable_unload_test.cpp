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

// The walks start at the lowest mapping a space is known to have (MemoryMap's bound,
// raised as a walk passes): a mapping loaded below the part already walked, between two
// steps or before a whole unload, still leaves with the space.
TEST_F(RestartableUnloadTest, AMappingLoadedBelowTheWalkedPartLeavesToo) {
  ObjectId s;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 5, 0, &s), CK_OK);
  map_many(srm_, s, kPages);
  ASSERT_EQ(caches_.unload_space(srm_, s), CK_E_PARTIAL);
  u32 records = static_cast<u32>(drain_kinds(kSrmRing).size());
  ASSERT_EQ(caches_.load_mapping(srm_, s, VirtAddr(0x00400000), kPages + kMappings * 4096, 0), CK_OK);
  u32 partial = 0;
  const std::vector<u32> kinds = unload_in_steps([&] { return caches_.unload_space(srm_, s); }, kSrmRing, &partial);
  records += static_cast<u32>(kinds.size());
  EXPECT_EQ(records, kMappings + 2) << "every mapping, the low one too, and the space";
  EXPECT_EQ(kinds.back(), CK_WB_SPACE);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_MAPPING), 0u);

  // A small space unloaded whole (drop_space): its mappings loaded high first, then low.
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 6, 0, &s), CK_OK);
  ASSERT_EQ(caches_.load_mapping(srm_, s, VirtAddr(0x80000000), kPages, 0), CK_OK);
  ASSERT_EQ(caches_.load_mapping(srm_, s, VirtAddr(0x00002000), kPages + 4096, 0), CK_OK);
  ASSERT_EQ(caches_.unload_space(srm_, s), CK_OK);
  const std::vector<u32> whole = drain_kinds(kSrmRing);
  ASSERT_EQ(whole.size(), 3u);
  EXPECT_EQ(whole[0], CK_WB_MAPPING);
  EXPECT_EQ(whole[1], CK_WB_MAPPING);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_MAPPING), 0u);
  EXPECT_TRUE(caches_.consistent());
}

// Counts B's records as the SRM unloads B: in B's ring, and (while B's ring overflows)
// wrapped in the first kernel's; the kernel record there. `drain_b`: B reads its ring.
struct KernelUnload {
  u32 own = 0, wrapped = 0, kernel_records = 0, calls = 0;
  ck_status last = CK_OK;
};
template <typename Unload>
KernelUnload unload_kernel_in_steps(Unload&& unload, bool drain_b) {
  KernelUnload u;
  auto read = [&] {
    if (drain_b) u.own += drain(kRingB).size();
    for (const RingRecord& r : drain(kSrmRing)) {
      u.wrapped += r.header.kind == CK_WB_OVERFLOW;
      u.kernel_records += r.header.kind == CK_WB_KERNEL;
    }
  };
  while ((u.last = unload()) == CK_E_PARTIAL || u.last == CK_E_RETRY) {
    read();
    if (++u.calls > 4 * kMappings) break;
  }
  read();
  return u;
}

TEST_F(RestartableUnloadTest, AKernelLargerThanItsRingLeavesInStepsItsRecordToTheFirstKernel) {
  ObjectId space;
  kernel_b(50, 10, &space);
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + 2 * MiB, 1 * MiB, CK_RIGHTS_READ_WRITE), CK_OK);
  map_many(b_.slot(ObjectCaches::Kernels::kSlotBits), space, kMemoryBase + 2 * MiB);
  drain(kSrmRing);
  const KernelUnload u = unload_kernel_in_steps([&] { return caches_.unload_kernel(srm_, b_); }, true);
  EXPECT_EQ(u.last, CK_OK);
  EXPECT_GE(u.calls, 1u);
  EXPECT_EQ(u.own + u.wrapped, kMappings + 1) << "its mappings and its space, each once";
  EXPECT_EQ(u.kernel_records, 1u);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_KERNEL), 1u);
}

TEST_F(RestartableUnloadTest, AKernelLoadReclaimsALargeVictimAFewObjectsACall) {
  // The kernel cache full (the first kernel, B with 200 mappings, two locked kernels):
  // a kernel load displaces B in calls of 4 objects (CK_E_PARTIAL), then loads. Before,
  // B was planned whole, which never fit its ring: CK_E_RETRY for ever.
  ObjectId space;
  kernel_b(50, 10, &space);
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + 2 * MiB, 1 * MiB, CK_RIGHTS_READ_WRITE), CK_OK);
  map_many(b_.slot(ObjectCaches::Kernels::kSlotBits), space, kMemoryBase + 2 * MiB);
  for (u32 i = 0; i < 2; ++i) {
    ck_kernel_desc d{.handler = 0x3000,
                     .writeback_ring = (kMemoryBase + (8 + i) * 4096).value(),
                     .ring_bytes = 4096,
                     .cookie = 3 + i,
                     .flags = CK_LOCK};
    ObjectId locked;
    ASSERT_EQ(caches_.load_kernel(srm_, d, &locked), CK_OK);
  }
  drain(kSrmRing);
  ck_kernel_desc d{.handler = 0x3000,
                   .writeback_ring = (kMemoryBase + 12 * 4096).value(),
                   .ring_bytes = 4096,
                   .cookie = 9,
                   .flags = 0};
  ObjectId fresh;
  const KernelUnload u = unload_kernel_in_steps([&] { return caches_.load_kernel(srm_, d, &fresh); }, true);
  EXPECT_EQ(u.last, CK_OK);
  EXPECT_GE(u.calls, kMappings / 4);
  EXPECT_EQ(u.own + u.wrapped, kMappings + 1) << "B's mappings and its space, each once";
  EXPECT_EQ(u.kernel_records, 1u) << "B's kernel record, to the first kernel";
  EXPECT_EQ(caches_.loaded(CK_OBJECT_KERNEL), 4u);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_MAPPING), 0u);
}

// B never reads its ring: all its records go to the first kernel's, and the unload must
// still end. Whether a step "would fit emptied rings" was asked of B's own ring, which
// the SRM cannot empty: with fewer records left than B's ring holds, but more than the
// SRM's ring holds wrapped, every call answered CK_E_RETRY.
TEST_F(RestartableUnloadTest, AKernelThatNeverReadsItsRingIsUnloadedThroughTheFirstKernelsRing) {
  ObjectId space;
  const u32 b = kernel_b(50, 10, &space);
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + 2 * MiB, 1 * MiB, CK_RIGHTS_READ_WRITE), CK_OK);
  for (u32 i = 0; i < 100; ++i)
    ASSERT_EQ(caches_.load_mapping(b, space, VirtAddr(0x10000000 + i * 4096), kMemoryBase + 2 * MiB + i * 4096, 0),
              CK_OK);
  drain(kSrmRing);
  static_cast<ck_ring_header*>(arch::physical_memory(kRingB))->tail = 0;  // scribbled
  const KernelUnload u = unload_kernel_in_steps([&] { return caches_.unload_kernel(srm_, b_); }, false);
  EXPECT_EQ(u.last, CK_OK);
  EXPECT_EQ(u.wrapped, 101u) << "its mappings and its space, each once";
  EXPECT_EQ(u.kernel_records, 1u);
}

// Interrupts are masked during a call: an unload takes at most 4 objects per call even
// when the ring could take them all (it unloaded 41 in one go before).
TEST_F(RestartableUnloadTest, OneCallUnloadsFourObjectsAtMost) {
  ObjectId s;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 5, 0, &s), CK_OK);
  for (u32 i = 0; i < 40; ++i)
    ASSERT_EQ(caches_.load_mapping(srm_, s, VirtAddr(0x10000000 + i * 4096), kPages + i * 4096, 0), CK_OK);
  drain(kSrmRing);
  std::vector<size_t> per_call;
  ck_status st;
  while ((st = caches_.unload_space(srm_, s)) == CK_E_PARTIAL) per_call.push_back(drain(kSrmRing).size());
  EXPECT_EQ(st, CK_OK);
  per_call.push_back(drain(kSrmRing).size());
  std::vector<size_t> expected(10, 4);
  expected.push_back(1);
  EXPECT_EQ(per_call, expected) << "4 mappings a call, then the space";
}

TEST_F(RestartableUnloadTest, AnUnloadThatWouldFitAnEmptiedRingIsRefusedWhole) {
  ObjectId s;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 5, 0, &s), CK_OK);
  for (u32 i = 0; i < 3; ++i)  // with the space, 4 objects: few enough to go whole
    ASSERT_EQ(caches_.load_mapping(srm_, s, VirtAddr(0x10000000 + i * 4096), kPages + i * 4096, 0), CK_OK);
  // Fill the ring with records of another space's loads and unloads, unread.
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 6, 0, &other), CK_OK);
  for (u32 i = 0; i < kRingSlots - 5; ++i) {  // 3 slots left
    ASSERT_EQ(caches_.load_mapping(srm_, other, VirtAddr(0x20000000), kPages, 0), CK_OK);
    ASSERT_EQ(caches_.unload_mapping(srm_, other, VirtAddr(0x20000000)), CK_OK);
  }
  const u32 before = caches_.digest();
  EXPECT_EQ(caches_.unload_space(srm_, s), CK_E_RETRY);
  EXPECT_EQ(caches_.digest(), before) << "nothing unloaded";
  drain(kSrmRing);
  EXPECT_EQ(caches_.unload_space(srm_, s), CK_OK) << "whole, once the ring is empty";
  EXPECT_EQ(drain_kinds(kSrmRing).size(), 4u);
}

TEST_F(RestartableUnloadTest, ASpaceLoadReclaimsALargeVictimAFewObjectsACall) {
  // The space cache full: the home, two locked spaces, and one of 200 mappings and a
  // thread (more records than the ring holds). A space load displaces it in calls of 4
  // objects (CK_E_PARTIAL, the load not done), then loads. Before, the load planned the
  // victim whole, which never fit: CK_E_RETRY for ever, after a walk of every mapping.
  ObjectId big, locked1, locked2;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 5, 0, &big), CK_OK);
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 6, CK_LOCK, &locked1), CK_OK);
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 7, CK_LOCK, &locked2), CK_OK);
  map_many(srm_, big, kPages);
  thread(big, 1);
  drain(kSrmRing);
  ObjectId fresh;
  u32 calls = 0;
  std::vector<u32> kinds;
  ck_status st;
  while ((st = caches_.load_space(srm_, ObjectId(), 8, 0, &fresh)) == CK_E_PARTIAL && calls < 1000) {
    ++calls;
    const std::vector<u32> more = drain_kinds(kSrmRing);
    EXPECT_LE(more.size(), 4u) << "call " << calls;
    EXPECT_FALSE(more.empty()) << "call " << calls;
    kinds.insert(kinds.end(), more.begin(), more.end());
    ASSERT_TRUE(caches_.consistent());
  }
  ASSERT_EQ(st, CK_OK);
  // Small at last (its thread and itself), it goes whole with the load that succeeds.
  EXPECT_EQ(calls, kMappings / 4);
  const std::vector<u32> last = drain_kinds(kSrmRing);
  kinds.insert(kinds.end(), last.begin(), last.end());
  ASSERT_EQ(kinds.size(), kMappings + 2);
  for (u32 i = 0; i < kMappings; ++i) EXPECT_EQ(kinds[i], CK_WB_MAPPING);
  EXPECT_EQ(kinds[kMappings], CK_WB_THREAD);
  EXPECT_EQ(kinds.back(), CK_WB_SPACE);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_MAPPING), 0u);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_SPACE), 4u);
}

}  // namespace
}  // namespace ck
