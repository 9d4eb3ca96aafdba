// Isolation between application kernels (issue 15, paper §3, §4.3): what one kernel
// does can neither lose nor overwrite another kernel's writebacks. Each test here failed
// on the code before its fix.
#include <cstring>
#include <vector>

#include "caches_fixture.h"
#include "ring_reader.h"

namespace ck {
namespace {

constexpr PhysAddr kMessagePage = kMemoryBase + 128 * KiB;
constexpr PhysAddr kRingC = kMemoryBase + 8192;

class IsolationTest : public CachesTest {
 protected:
  // Kernel B with a space and read-write access to a page group of its own.
  u32 kernel_b_with_memory(ObjectId* space) {
    const u32 b = kernel_b(50, 8, space);
    EXPECT_EQ(caches_.set_memory_access(srm_, b_, kBPages, 512 * KiB, CK_RIGHTS_READ_WRITE), CK_OK);
    return b;
  }
  // `caller` maps consecutive pages from `pa` at consecutive pages from `va` until the
  // mapping cache is full.
  void fill_mappings(u32 caller, ObjectId space, VirtAddr va, PhysAddr pa) {
    for (u32 i = 0; i < kMappingCapacity; ++i)
      ASSERT_EQ(caches_.load_mapping(caller, space, va + i * 4096, pa + i * 4096, 0), CK_OK);
  }
  static constexpr PhysAddr kBPages = kMemoryBase + 2 * MiB;
};

// CK_LOAD_KERNEL once accepted a ring another loaded kernel used and reset its header:
// the records waiting there were lost.
TEST_F(IsolationTest, AWritebackRingBelongsToOneLoadedKernel) {
  ObjectId space;
  kernel_b(50, 8, &space);
  ASSERT_EQ(caches_.unload_space(srm_, space), CK_OK);  // a record waits in B's ring
  const auto* b = static_cast<const ck_ring_header*>(arch::physical_memory(kRingB));
  const u32 head = b->head, tail = b->tail;
  ASSERT_NE(head, tail);
  const u32 before = caches_.digest();
  ObjectId id;
  for (const PhysAddr ring : {kRingB, kSrmRing}) {
    ck_kernel_desc d{.handler = 0x3000, .writeback_ring = ring.value(), .ring_bytes = 4096, .cookie = 3, .flags = 0};
    EXPECT_EQ(caches_.load_kernel(srm_, d, &id), CK_E_BUSY) << "the ring at " << ring.value();
  }
  // Overlapping in part is overlapping.
  ck_kernel_desc wide{
      .handler = 0x3000, .writeback_ring = kSrmRing.value(), .ring_bytes = 3 * 4096, .cookie = 3, .flags = 0};
  EXPECT_EQ(caches_.load_kernel(srm_, wide, &id), CK_E_BUSY);
  EXPECT_EQ(b->head, head);
  EXPECT_EQ(b->tail, tail) << "B's unread record is still there";
  EXPECT_EQ(caches_.digest(), before);
  // A ring of its own is fine, and so is B's once B has left.
  ck_kernel_desc own{.handler = 0x3000, .writeback_ring = kRingC.value(), .ring_bytes = 4096, .cookie = 3, .flags = 0};
  EXPECT_EQ(caches_.load_kernel(srm_, own, &id), CK_OK);
  ASSERT_EQ(caches_.unload_kernel(srm_, b_), CK_OK);
  ck_kernel_desc again{
      .handler = 0x3000, .writeback_ring = kRingB.value(), .ring_bytes = 4096, .cookie = 4, .flags = 0};
  EXPECT_EQ(caches_.load_kernel(srm_, again, &id), CK_OK);
}

// A thread whose fault had nowhere to go was written back with room reserved for its
// own record only; unloading it also dropped the signal mappings that depend on it,
// and their flushes wrote into another kernel's full ring.
TEST_F(IsolationTest, AFaultingSignalThreadNeverWritesPastAnotherKernelsRing) {
  ObjectId b_space;
  const u32 b = kernel_b(50, 8, &b_space);  // B has no home space: its faults go nowhere
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase, 1 * MiB, CK_RIGHTS_READ_WRITE), CK_OK);
  const ObjectId t = thread(b_space, 1, b);
  // t receives on B's message mapping of the page; the SRM writes to the same page.
  ASSERT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x50000000), kMessagePage, CK_MAP_MESSAGE, t), CK_OK);
  ASSERT_EQ(caches_.load_mapping(srm_, home_, VirtAddr(0x30000000), kMessagePage, CK_MAP_WRITE | CK_MAP_MESSAGE),
            CK_OK);
  drain(kSrmRing);
  // Room in the SRM's ring for the fault notice, not for the flushed mapping as well.
  auto* srm = static_cast<ck_ring_header*>(arch::physical_memory(kSrmRing));
  const u32 read_to = srm->tail;
  leave_room(kSrmRing, 1);
  const u32 head = srm->head;
  EXPECT_FALSE(caches_.forward(object(t),
                               ExceptionReport{.kind = CK_EXC_TRAP, .vector = 1, .address = VirtAddr(0), .access = 0}));
  EXPECT_EQ(srm->head, head) << "nothing written to the SRM's ring: it had room for one record of two";
  EXPECT_TRUE(object(t).state().halted()) << "no room to say so: the thread stops where it is";
  EXPECT_TRUE(caches_.consistent());
  // With room (the SRM has read its ring), the thread, its signal mapping and the
  // flushed mapping all go.
  srm->tail = read_to;
  drain(kRingB);
  ASSERT_EQ(caches_.unload_thread(b, t), CK_OK);
  const auto flushed = drain(kSrmRing);
  ASSERT_EQ(flushed.size(), 1u);
  EXPECT_NE(flushed[0].header.flags & CK_WB_FLUSHED, 0);
}

// Every field a thread is loaded with comes back in its writeback; the signal function
// once came back as 0.
TEST_F(IsolationTest, AThreadIsWrittenBackAsItWasLoaded) {
  const ObjectId t = thread(home_, 3, kNoSlot, 0x5000);
  drain(kSrmRing);
  ASSERT_EQ(caches_.unload_thread(srm_, t), CK_OK);
  const auto r = drain(kSrmRing);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].header.cookie, 7u);
  EXPECT_EQ(r[0].header.va, 3u) << "its priority";
  EXPECT_EQ(r[0].state.signal_function, 0x5000u);
  EXPECT_EQ(r[0].state.exception_stack, kStackVa.value() + 4096);
  EXPECT_EQ(r[0].state.regs.pc, 0x2000u);
  EXPECT_EQ(r[0].state.regs.a[7], 0x00800000u);
}

// The first kernel could grant page groups with no RAM and the Cache Kernel's own memory
// (its image, stack, page-table pool; the vector table at 0): a kernel given those
// could rewrite a vector and run its code in supervisor mode. Grants reach only the
// memory the first kernel was given at boot; revoking reaches anything.
TEST_F(IsolationTest, GrantsReachOnlyTheMemoryGivenAwayAtBoot) {
  ObjectId space;
  kernel_b(50, 8, &space);
  const u32 before = caches_.digest();
  const ObjectId srm_id = caches_.kernels().id_of(srm_);
  for (const ObjectId k : {b_, srm_id}) {
    EXPECT_EQ(caches_.set_memory_access(srm_, k, PhysAddr(0), 512 * KiB, CK_RIGHTS_READ), CK_E_NO_RIGHTS);
    EXPECT_EQ(caches_.set_memory_access(srm_, k, kMemoryBase + 4 * MiB, 512 * KiB, CK_RIGHTS_READ_WRITE),
              CK_E_NO_RIGHTS);
    EXPECT_EQ(caches_.set_memory_access(srm_, k, kMemoryBase + 3 * MiB, 2 * MiB, CK_RIGHTS_READ_WRITE), CK_E_NO_RIGHTS)
        << "straddling the end";
    EXPECT_EQ(caches_.set_memory_access(srm_, k, PhysAddr(0xff000000), 512 * KiB, CK_RIGHTS_READ_WRITE), CK_E_NO_RIGHTS)
        << "the I/O space";
  }
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(caches_.set_memory_access(srm_, b_, PhysAddr(0), 512 * KiB, CK_RIGHTS_NONE), CK_OK) << "revoking";
  EXPECT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + 3 * MiB + 512 * KiB, 512 * KiB, CK_RIGHTS_READ), CK_OK)
      << "the last group given away";
}

// ---- A ring its kernel does not drain (the owner pays, §4.3) ---------------------------

// B holds every mapping descriptor and leaves its ring full: its objects were a free
// lock on the mapping cache, and every other kernel's load answered CK_E_RETRY forever.
TEST_F(IsolationTest, AFullRingDoesNotStallAnotherKernelsLoads) {
  ObjectId b_space;
  const u32 b = kernel_b_with_memory(&b_space);
  fill_mappings(b, b_space, VirtAddr(0x40000000), kBPages);
  drain(kSrmRing);
  leave_room(kRingB, 0);
  const auto* ring_b = static_cast<const ck_ring_header*>(arch::physical_memory(kRingB));
  const u32 b_head = ring_b->head;
  EXPECT_EQ(caches_.load_mapping(srm_, home_, VirtAddr(0x30000000), kMemoryBase + 64 * KiB, 0), CK_OK);
  EXPECT_EQ(ring_b->head, b_head) << "nothing written to B's full ring";
  const auto records = drain(kSrmRing);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].header.kind, CK_WB_OVERFLOW);
  EXPECT_EQ(records[0].header.id, b_.raw()) << "the wrapper names B";
  EXPECT_EQ(records[0].header.cookie, 2u) << "and carries B's cookie";
  EXPECT_EQ(records[0].inner.kind, CK_WB_MAPPING);
  EXPECT_EQ(records[0].inner.space, b_space.raw());
  EXPECT_NE(records[0].inner.flags & CK_WB_RECLAIMED, 0);
}

// Until B drains its ring its own loads and unloads wait, and CK_E_RETRY names B;
// nothing changes meanwhile.
TEST_F(IsolationTest, AKernelWhoseRingOverflowsIsToldToDrainIt) {
  ObjectId b_space;
  const u32 b = kernel_b_with_memory(&b_space);
  ASSERT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40000000), kBPages, 0), CK_OK);
  leave_room(kRingB, 0);
  const u32 before = caches_.digest();
  EXPECT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40001000), kMemoryBase + 2 * MiB + 4096, 0), CK_E_RETRY);
  EXPECT_EQ(caches_.retry_blocker(), b_.raw());
  EXPECT_EQ(caches_.unload_mapping(b, b_space, VirtAddr(0x40000000)), CK_E_RETRY);
  ObjectId id;
  EXPECT_EQ(caches_.load_space(b, ObjectId(), 5, 0, &id), CK_E_RETRY);
  EXPECT_EQ(caches_.unload_space(b, b_space), CK_E_RETRY);
  EXPECT_EQ(caches_.digest(), before);
  auto* ring_b = static_cast<ck_ring_header*>(arch::physical_memory(kRingB));
  ring_b->tail = ring_b->head;  // B has read its ring
  EXPECT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40001000), kMemoryBase + 2 * MiB + 4096, 0), CK_OK);
  EXPECT_EQ(caches_.unload_mapping(b, b_space, VirtAddr(0x40000000)), CK_OK);
  const auto records = drain(kRingB);
  ASSERT_EQ(records.size(), 1u) << "once drained, B's records are its own again";
  EXPECT_EQ(records[0].header.kind, CK_WB_MAPPING);
}

// The first kernel's ring never overflows: a load that needs room there waits, and
// CK_E_RETRY says whose ring it waits for.
TEST_F(IsolationTest, RetryNamesTheKernelWhoseRingItWaitsFor) {
  ObjectId b_space;
  const u32 b = kernel_b_with_memory(&b_space);
  fill_mappings(srm_, home_, VirtAddr(0x30000000), kMemoryBase + 64 * KiB);
  leave_room(kSrmRing, 0);
  EXPECT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40000000), kMemoryBase + 2 * MiB, 0), CK_E_RETRY);
  EXPECT_EQ(caches_.retry_blocker(), caches_.kernels().id_of(srm_).raw());
}

// A thread's whole state goes to the first kernel when its own kernel's ring is full.
TEST_F(IsolationTest, AnOverflowingThreadRecordCarriesItsState) {
  ObjectId b_space;
  const u32 b = kernel_b(50, 8, &b_space);
  for (u32 i = 0; i < kThreadCapacity; ++i) thread(b_space, 1, b);
  drain(kSrmRing);
  leave_room(kRingB, 0);
  const ObjectId t = thread(home_, 1);
  EXPECT_EQ(object(t).kernel(), srm_);
  const auto records = drain(kSrmRing);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].header.kind, CK_WB_OVERFLOW);
  EXPECT_EQ(records[0].header.slots, 1 + CK_WB_THREAD_SLOTS);
  EXPECT_EQ(records[0].inner.kind, CK_WB_THREAD);
  EXPECT_EQ(records[0].inner.space, b_space.raw());
  EXPECT_EQ(records[0].state.regs.pc, 0x2000u);
  EXPECT_EQ(records[0].state.regs.a[7], 0x00800000u);
}

// ---- Page tables are charged to the kernel whose spaces hold them (§4.3) ---------------

// A kernel mapping sparse pages took tables from one global pool until it was empty, and
// then every kernel's loads failed. Now it stops at its own quota.
TEST_F(IsolationTest, APageTableQuotaBoundsOnlyItsOwner) {
  ObjectId b_space;
  const u32 b = kernel_b_with_memory(&b_space);
  // Its space's root (512 bytes), one pointer table (512) and one page table (512).
  ASSERT_EQ(caches_.set_lock_quota(srm_, b_, CK_QUOTA_PAGE_TABLES, 1536), CK_OK);
  const PhysAddr page = kMemoryBase + 2 * MiB;
  ASSERT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40000000), page, 0), CK_OK);
  ASSERT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40001000), page, 0), CK_OK) << "same page table";
  const u32 before = caches_.digest();
  const u32 free_before = arch::page_table_bytes_free();
  EXPECT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40040000), page, 0), CK_E_NO_TABLES) << "a new page table";
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(arch::page_table_bytes_free(), free_before) << "the table it took went back";
  ObjectId id;
  EXPECT_EQ(caches_.load_space(b, ObjectId(), 4, 0, &id), CK_E_NO_TABLES) << "a new root";
  // Others are not bound by B's quota.
  EXPECT_EQ(caches_.load_mapping(srm_, home_, VirtAddr(0x50040000), kMemoryBase + 64 * KiB, 0), CK_OK);
  // Its tables come back as its mappings go.
  ASSERT_EQ(caches_.unload_mapping(b, b_space, VirtAddr(0x40000000)), CK_OK);
  EXPECT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40040000), page, 0), CK_E_NO_TABLES) << "still one in use";
  ASSERT_EQ(caches_.unload_mapping(b, b_space, VirtAddr(0x40001000)), CK_OK);
  EXPECT_EQ(caches_.load_mapping(b, b_space, VirtAddr(0x40040000), page, 0), CK_OK);
}

}  // namespace
}  // namespace ck
