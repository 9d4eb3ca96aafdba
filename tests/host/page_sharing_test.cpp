// One physical page mapped many times (paper §4.1, §4.2; issue 15): the mappings of a page
// are walked with interrupts masked (a page unload, a receiver's flush of the page's
// writable mappings, a signal to its receivers), so a page takes at most
// CK_PAGE_MAPPINGS_MAX mappings, and a message page at most CK_MESSAGE_PAGE_MAPPINGS_MAX
// receiving and writable ones; beyond, loads are refused with CK_E_SHARED, changing
// nothing. The walks visit only what they are about: another kernel's mappings of a
// shared page cost an unload of one's own nothing per step. Built with 256 mapping
// descriptors.
#include "caches_fixture.h"
#include "ring_reader.h"

namespace ck {
namespace {

static_assert(kMappingCapacity == 256, "written for 256 mappings");
static_assert(CK_PAGE_MAPPINGS_MAX == 256 && CK_MESSAGE_PAGE_MAPPINGS_MAX == 16, "the limits this test meets");

constexpr PhysAddr kPage = kMemoryBase + 64 * KiB;
constexpr PhysAddr kOther = kMemoryBase + 68 * KiB;
constexpr u32 kVa = 0x10000000;

class PageSharingTest : public CachesTest {
 protected:
  VirtAddr va(u32 i) const { return VirtAddr(kVa + i * 4096); }
  ck_status map(ObjectId space, u32 i, PhysAddr pa, u32 flags = 0, ObjectId signal = ObjectId()) {
    return caches_.load_mapping(srm_, space, va(i), pa, flags, signal);
  }
};

TEST_F(PageSharingTest, APageTakesAtMostItsLimitOfMappings) {
  // The limit is also the cache's size here: the last load must not displace another
  // mapping of the page to make room.
  for (u32 i = 0; i < CK_PAGE_MAPPINGS_MAX; ++i) ASSERT_EQ(map(home_, i, kPage), CK_OK) << i;
  const u32 before = caches_.digest();
  EXPECT_EQ(map(home_, CK_PAGE_MAPPINGS_MAX, kPage), CK_E_SHARED);
  EXPECT_EQ(caches_.digest(), before) << "a refused load changed nothing";
  ASSERT_EQ(caches_.unload_mapping(srm_, home_, va(7)), CK_OK);
  EXPECT_EQ(map(home_, CK_PAGE_MAPPINGS_MAX, kPage), CK_OK) << "one left: one more fits";
  drain(kSrmRing);
}

TEST_F(PageSharingTest, AMessagePageTakesAtMostItsLimitOfReceiversAndWriters) {
  const ObjectId receiver = thread(home_, 1);
  ASSERT_EQ(map(home_, 0, kPage, CK_MAP_MESSAGE, receiver), CK_OK);
  for (u32 i = 1; i < CK_MESSAGE_PAGE_MAPPINGS_MAX; ++i) ASSERT_EQ(map(home_, i, kPage, CK_MAP_WRITE), CK_OK) << i;
  const u32 before = caches_.digest();
  EXPECT_EQ(map(home_, 100, kPage, CK_MAP_WRITE), CK_E_SHARED) << "one writer too many";
  EXPECT_EQ(map(home_, 101, kPage, CK_MAP_MESSAGE, receiver), CK_E_SHARED) << "one receiver too many";
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(map(home_, 102, kPage, 0), CK_OK) << "read-only mappings do not count";
  // The receiver's unload flushes the page's writable mappings: 15, a bounded loop.
  ASSERT_EQ(caches_.unload_mapping(srm_, home_, va(0)), CK_OK);
  u32 flushed = 0;
  for (const RingRecord& r : drain(kSrmRing)) flushed += (r.header.flags & CK_WB_FLUSHED) != 0 ? 1 : 0;
  EXPECT_EQ(flushed, CK_MESSAGE_PAGE_MAPPINGS_MAX - 1);
  EXPECT_EQ(caches_.loaded(CK_OBJECT_MAPPING), 1u) << "the read-only mapping stays";
}

TEST_F(PageSharingTest, APageWithManyWritersTakesNoReceiver) {
  for (u32 i = 0; i < CK_MESSAGE_PAGE_MAPPINGS_MAX; ++i) ASSERT_EQ(map(home_, i, kPage, CK_MAP_WRITE), CK_OK);
  const ObjectId receiver = thread(home_, 1);
  EXPECT_EQ(map(home_, 50, kPage, CK_MAP_MESSAGE, receiver), CK_E_SHARED);
  EXPECT_EQ(map(home_, 50, kOther, CK_MAP_MESSAGE, receiver), CK_OK) << "another page is not shared";
}

TEST_F(PageSharingTest, UnloadingOnesOwnMappingsOfASharedPageIgnoresTheOthers) {
  // B maps the page 200 times; the first kernel 3 times, interleaved. The first kernel's
  // page unload as B takes B's only, in steps; the first kernel's own stay.
  ObjectId b_space;
  const u32 b = kernel_b(50, 8, &b_space);
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase, 512 * KiB, CK_RIGHTS_READ_WRITE), CK_OK);
  for (u32 i = 0; i < 200; ++i) {
    ASSERT_EQ(map(b_space, i, kPage, i % 2 == 0 ? CK_MAP_WRITE : 0), CK_OK) << i;
    if (i % 70 == 0) {
      ASSERT_EQ(map(home_, i, kPage), CK_OK);
    }
  }
  u32 calls = 0, b_records = 0;
  ck_status s;
  while ((s = caches_.unload_page(b, kPage)) == CK_E_PARTIAL && calls < 1000) {
    ++calls;
    b_records += drain(kRingB).size();
    ASSERT_TRUE(caches_.consistent());
  }
  EXPECT_EQ(s, CK_OK);
  b_records += drain(kRingB).size();
  EXPECT_EQ(b_records, 200u) << "each of B's mappings written back once";
  EXPECT_GE(calls, 200u / 4 - 1) << "at most 4 a call";
  EXPECT_EQ(caches_.loaded(CK_OBJECT_MAPPING), 3u) << "the first kernel's mappings stay";
  EXPECT_TRUE(drain(kSrmRing).empty());
}

TEST_F(PageSharingTest, ASignalVisitsTheReceiversOnly) {
  // 200 read-only mappings of the page and one receiver: the signal reaches the
  // receiver (the walk of receivers does not pass the others).
  const ObjectId receiver = thread(home_, 1);
  ObjectId sender_space;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 12, 0, &sender_space), CK_OK);
  const ObjectId sender = thread(sender_space, 1);
  for (u32 i = 0; i < 200; ++i) ASSERT_EQ(map(home_, i, kPage), CK_OK);
  ASSERT_EQ(map(home_, 230, kPage, CK_MAP_MESSAGE, receiver), CK_OK);
  ASSERT_EQ(map(sender_space, 0, kPage, CK_MAP_WRITE | CK_MAP_MESSAGE), CK_OK);
  u32 delivered = 0;
  EXPECT_EQ(caches_.signal(object(sender), va(0) + 16, &delivered), CK_OK);
  EXPECT_EQ(delivered, 1u);
}

}  // namespace
}  // namespace ck
