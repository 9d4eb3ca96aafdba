// The Cache Kernel's object caches under pressure (issue 4): capacities of 4 of each
// (set in CMakeLists.txt), stale identifiers, dependency cascades, lock rules and
// quotas, page groups, writeback rings that fill up. Run on the simulated machine.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "fake_machine.h"
#include "object_caches.h"
#include "ring_reader.h"

namespace ck {
namespace {

static_assert(kKernelCapacity == 4 && kSpaceCapacity == 4 && kThreadCapacity == 4 && kMappingCapacity == 4,
              "these tests are written for capacity 4 of each");

using fake_machine::kMemoryBase;

// Physical memory of the simulated machine: SRM ring, second kernel's ring, then pages.
constexpr PhysAddr kSrmRing = kMemoryBase;
constexpr PhysAddr kRingB = kMemoryBase + 4096;
constexpr PhysAddr kPages = kMemoryBase + 64 * KiB;
constexpr u32 kGranted = 4 * MiB;  // page groups [kMemoryBase, +4 MiB) belong to the SRM

PhysAddr page(u32 n) { return kPages + n * 4096; }
VirtAddr vpage(u32 n) { return VirtAddr(0x10000000 + n * 4096); }

class ObjectCachesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_machine::reset();
    caches_ = std::make_unique<ObjectCaches>();
    caches_->init();
    srm_ = caches_->create_first_kernel(FirstKernelSetup{
        .memory = PhysRange{kMemoryBase, kGranted}, .ring = kSrmRing, .ring_bytes = 4096, .handler = VirtAddr(0x1000)});
  }

  void TearDown() override { EXPECT_TRUE(caches_->consistent()) << "invariants broken at the end"; }

  ObjectId space(u32 cookie, u32 flags = 0, u32 caller = kNoSlot) {
    ObjectId id;
    EXPECT_EQ(caches_->load_space(caller == kNoSlot ? srm_ : caller, ObjectId(), cookie, flags, &id), CK_OK);
    return id;
  }

  ObjectId thread(ObjectId space, u32 cookie, u32 flags = 0) {
    ck_thread_state s{};
    s.regs.pc = 0x2000;
    s.regs.d[3] = cookie;
    ObjectId id;
    EXPECT_EQ(caches_->load_thread(srm_, space, cookie, flags, s, &id), CK_OK);
    return id;
  }

  // A second kernel with its own ring and `groups` read-write page groups from kPages.
  ObjectId kernel_b(u32 bytes_granted = 0, u32 flags = 0) {
    ck_kernel_desc d{
        .handler = 0x3000, .writeback_ring = kRingB.value(), .ring_bytes = 4096, .cookie = 77, .flags = flags};
    ObjectId id;
    EXPECT_EQ(caches_->load_kernel(srm_, d, &id), CK_OK);
    if (bytes_granted != 0) {
      EXPECT_EQ(caches_->set_memory_access(srm_, id, PhysAddr(0x00180000), bytes_granted, CK_RIGHTS_READ_WRITE), CK_OK);
    }
    return id;
  }
  u32 slot_of(ObjectId kernel) { return kernel.slot(ObjectCaches::Kernels::kSlotBits); }

  std::unique_ptr<ObjectCaches> caches_;
  u32 srm_ = 0;
};

TEST_F(ObjectCachesTest, FirstKernelIsLockedWithItsMemory) {
  EXPECT_EQ(caches_->loaded(CK_OBJECT_KERNEL), 1u);
  EXPECT_TRUE(caches_->kernels().locked(srm_));
  EXPECT_TRUE(caches_->resources().rights(srm_).allows(kPages, true));
  EXPECT_FALSE(caches_->resources().rights(srm_).allows(kMemoryBase + kGranted, false));
}

TEST_F(ObjectCachesTest, LoadAndUnloadMappingWritesBackItsBits) {
  const ObjectId s = space(5);
  ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(0), page(0), CK_MAP_WRITE), CK_OK);
  ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(1), page(1), 0), CK_OK);
  const PhysAddr root = caches_->spaces()[s.slot(ObjectCaches::Spaces::kSlotBits)].tables.tables;
  ASSERT_TRUE(fake_machine::touch(root, vpage(0), true));
  ASSERT_TRUE(fake_machine::touch(root, vpage(1), false));
  EXPECT_EQ(caches_->unload_mapping(srm_, s, vpage(0)), CK_OK);
  EXPECT_EQ(caches_->unload_mapping(srm_, s, vpage(1)), CK_OK);
  EXPECT_EQ(caches_->unload_mapping(srm_, s, vpage(1)), CK_E_NOT_MAPPED);
  const auto r = drain(kSrmRing);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].header.kind, CK_WB_MAPPING);
  EXPECT_EQ(r[0].header.va, vpage(0).value());
  EXPECT_EQ(r[0].header.pa, page(0).value());
  EXPECT_EQ(r[0].header.cookie, 5u);
  EXPECT_EQ(r[0].header.flags, CK_WB_REFERENCED | CK_WB_MODIFIED | CK_WB_WRITABLE);
  EXPECT_EQ(r[1].header.flags, CK_WB_REFERENCED);
}

TEST_F(ObjectCachesTest, FullMappingCacheReclaimsUnreferencedFirst) {
  const ObjectId s = space(1);
  for (u32 i = 0; i < 4; ++i) ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(i), page(i), CK_MAP_WRITE), CK_OK);
  const PhysAddr root = caches_->spaces()[s.slot(ObjectCaches::Spaces::kSlotBits)].tables.tables;
  // Pages 0, 1 and 3 referenced: page 2 is the clock's victim.
  for (u32 i : {0u, 1u, 3u}) fake_machine::touch(root, vpage(i), false);
  ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(4), page(4), 0), CK_OK);
  const auto r = drain(kSrmRing);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].header.va, vpage(2).value());
  EXPECT_EQ(r[0].header.flags & CK_WB_RECLAIMED, CK_WB_RECLAIMED);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_MAPPING), 4u);
  arch::PageState st;
  EXPECT_FALSE(arch::lookup_page(root, vpage(2), &st));
  EXPECT_TRUE(arch::lookup_page(root, vpage(4), &st));
}

TEST_F(ObjectCachesTest, LockedMappingsAreNotReclaimedWhileTheirSpaceIsLocked) {
  const ObjectId s = space(1, CK_LOCK);
  for (u32 i = 0; i < 4; ++i) ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(i), page(i), CK_MAP_LOCK), CK_OK);
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(4), page(4), 0), CK_E_NO_DESCRIPTOR);
  EXPECT_TRUE(drain(kSrmRing).empty());
}

TEST_F(ObjectCachesTest, LockedMappingInAnUnlockedSpaceCanBeReclaimed) {
  const ObjectId s = space(1);  // not locked: the lock on its mappings does not protect them
  for (u32 i = 0; i < 4; ++i) ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(i), page(i), CK_MAP_LOCK), CK_OK);
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(4), page(4), 0), CK_OK);
  const auto r = drain(kSrmRing);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].header.flags & CK_WB_LOCKED, CK_WB_LOCKED);
}

TEST_F(ObjectCachesTest, StaleAndInvalidIdentifiersAreRefusedDistinctly) {
  const ObjectId s = space(1);
  ASSERT_EQ(caches_->unload_space(srm_, s), CK_OK);
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(0), page(0), 0), CK_E_STALE_ID);
  EXPECT_EQ(caches_->unload_space(srm_, s), CK_E_STALE_ID);
  const ObjectId again = space(2);
  EXPECT_NE(again, s) << "a reload gets a new identifier";
  EXPECT_EQ(caches_->unload_space(srm_, ObjectId(0)), CK_E_INVALID_ID);
  const ObjectId t = thread(again, 3);
  EXPECT_EQ(caches_->unload_space(srm_, t), CK_E_INVALID_ID) << "a thread id is not a space id";
  EXPECT_EQ(caches_->set_priority(srm_, ObjectId(t.raw() ^ 0x00010000), 0), CK_E_STALE_ID);
}

TEST_F(ObjectCachesTest, UnloadingASpaceWritesBackMappingsThenThreadsThenItself) {
  const ObjectId s = space(9);
  ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(0), page(0), 0), CK_OK);
  ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(7), page(7), CK_MAP_WRITE), CK_OK);
  const ObjectId t = thread(s, 0x7e);
  ASSERT_EQ(caches_->unload_space(srm_, s), CK_OK);
  const auto r = drain(kSrmRing);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].header.kind, CK_WB_MAPPING);
  EXPECT_EQ(r[1].header.kind, CK_WB_MAPPING);
  EXPECT_EQ(r[2].header.kind, CK_WB_THREAD);
  EXPECT_EQ(r[2].header.id, t.raw());
  EXPECT_EQ(r[2].header.cookie, 0x7eu);
  EXPECT_EQ(r[2].state.regs.d[3], 0x7eu);
  EXPECT_EQ(r[2].state.regs.pc, 0x2000u);
  EXPECT_EQ(r[3].header.kind, CK_WB_SPACE);
  EXPECT_EQ(r[3].header.cookie, 9u);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_MAPPING), 0u);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_THREAD), 0u);
  EXPECT_TRUE(caches_->run_queue().empty());
}

TEST_F(ObjectCachesTest, UnloadingAKernelCascadesToEverythingItOwns) {
  const ObjectId k = kernel_b(512 * KiB);
  const u32 kb = slot_of(k);
  ASSERT_EQ(caches_->set_lock_quota(srm_, k, CK_OBJECT_SPACE, 1), CK_OK);
  ObjectId s;
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, CK_LOCK | CK_SPACE_HOME, &s), CK_OK);
  ASSERT_EQ(caches_->load_mapping(kb, s, vpage(0), PhysAddr(0x00180000), CK_MAP_WRITE), CK_OK);
  ck_thread_state st{};
  ObjectId t;
  ASSERT_EQ(caches_->load_thread(kb, s, 4, 0, st, &t), CK_OK);
  ASSERT_EQ(caches_->unload_kernel(srm_, k), CK_OK);
  const auto own = drain(kRingB);
  ASSERT_EQ(own.size(), 3u);
  EXPECT_EQ(own[0].header.kind, CK_WB_MAPPING);
  EXPECT_EQ(own[1].header.kind, CK_WB_THREAD);
  EXPECT_EQ(own[2].header.kind, CK_WB_SPACE);
  const auto srm = drain(kSrmRing);
  ASSERT_EQ(srm.size(), 1u);
  EXPECT_EQ(srm[0].header.kind, CK_WB_KERNEL);
  EXPECT_EQ(srm[0].header.cookie, 77u);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_KERNEL), 1u);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_SPACE), 0u);
}

TEST_F(ObjectCachesTest, ObjectsOfAnUnloadedKernelSayWhyTheyLeft) {
  const ObjectId k = kernel_b(512 * KiB);
  const u32 kb = slot_of(k);
  ASSERT_EQ(caches_->set_cpu(srm_, k, 50, 10), CK_OK);
  ObjectId s;
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, CK_SPACE_HOME, &s), CK_OK);
  ASSERT_EQ(caches_->load_mapping(kb, s, vpage(0), PhysAddr(0x00180000), CK_MAP_WRITE), CK_OK);
  ck_thread_state st{};
  ObjectId t;
  ASSERT_EQ(caches_->load_thread(kb, s, 4, 5 << CK_PRIORITY_SHIFT, st, &t), CK_OK);
  ASSERT_EQ(caches_->unload_thread(kb, t), CK_OK);
  ASSERT_EQ(caches_->load_thread(kb, s, 4, 6 << CK_PRIORITY_SHIFT, st, &t), CK_OK);
  ASSERT_EQ(caches_->unload_kernel(srm_, k), CK_OK);
  const auto own = drain(kRingB);
  ASSERT_EQ(own.size(), 4u);
  EXPECT_EQ(own[0].header.flags & CK_WB_KERNEL_GONE, 0u) << "unloaded on its own, before";
  EXPECT_EQ(own[0].header.va, 5u) << "a thread record carries its priority";
  for (u32 i = 1; i < 4; ++i) EXPECT_NE(own[i].header.flags & CK_WB_KERNEL_GONE, 0u) << "record " << i;
  EXPECT_EQ(own[2].header.va, 6u);
  const auto srm = drain(kSrmRing);
  ASSERT_EQ(srm.size(), 1u);
  EXPECT_EQ(srm[0].header.flags & CK_WB_KERNEL_GONE, 0u) << "the kernel record itself";
}

TEST_F(ObjectCachesTest, AReloadedKernelCanKeepTheRecordsOfItsRing) {
  ObjectId k = kernel_b(512 * KiB);
  ObjectId s;
  ASSERT_EQ(caches_->load_space(slot_of(k), ObjectId(), 1, 0, &s), CK_OK);
  ASSERT_EQ(caches_->unload_kernel(srm_, k), CK_OK);  // the space record stays unread
  drain(kSrmRing);
  ck_kernel_desc d{.handler = 0x3000,
                   .writeback_ring = kRingB.value(),
                   .ring_bytes = 4096,
                   .cookie = 77,
                   .flags = CK_KERNEL_KEEP_RING | 0x80};
  EXPECT_EQ(caches_->load_kernel(srm_, d, &k), CK_E_ARGUMENT) << "an unknown flag";
  d.flags = CK_KERNEL_KEEP_RING;
  ASSERT_EQ(caches_->load_kernel(srm_, d, &k), CK_OK);
  ASSERT_EQ(caches_->load_space(slot_of(k), ObjectId(), 2, 0, &s), CK_OK);
  ASSERT_EQ(caches_->unload_space(slot_of(k), s), CK_OK);
  const auto both = drain(kRingB);
  ASSERT_EQ(both.size(), 2u) << "the record left from before, then the new one";
  EXPECT_EQ(both[0].header.cookie, 1u);
  EXPECT_EQ(both[1].header.cookie, 2u);

  // A header that is not a ring of this size is not trusted: the ring starts empty.
  ASSERT_EQ(caches_->unload_kernel(srm_, k), CK_OK);
  static_cast<ck_ring_header*>(arch::physical_memory(kRingB))->head = 9999;
  ASSERT_EQ(caches_->load_kernel(srm_, d, &k), CK_OK);
  EXPECT_TRUE(drain(kRingB).empty());
}

TEST_F(ObjectCachesTest, AnExceptionNoHandlerTakesIsReportedToTheFirstKernel) {
  ObjectId k = kernel_b(512 * KiB);
  const u32 kb = slot_of(k);
  ObjectId s;
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, 0, &s), CK_OK);
  ck_thread_state st{};
  st.regs.pc = 0x10000040;
  ObjectId t;
  ASSERT_EQ(caches_->load_thread(kb, s, 4, 0, st, &t), CK_OK);
  u32 slot = 0;
  ASSERT_EQ(caches_->threads().find(t, &slot), LookupError::None);
  // No home space: the exception has nowhere to go.
  EXPECT_FALSE(
      caches_->forward(caches_->thread(slot),
                       ExceptionReport{.kind = CK_EXC_MAPPING, .vector = 2, .address = VirtAddr(0), .access = 1}));
  const auto own = drain(kRingB);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].header.kind, CK_WB_THREAD);
  EXPECT_NE(own[0].header.flags & CK_WB_FAULTED, 0u);
  const auto srm = drain(kSrmRing);
  ASSERT_EQ(srm.size(), 1u);
  EXPECT_EQ(srm[0].header.kind, CK_WB_FAULT);
  EXPECT_EQ(srm[0].header.id, k.raw());
  EXPECT_EQ(srm[0].header.cookie, 77u);
  EXPECT_EQ(srm[0].header.space, s.raw());
  EXPECT_EQ(srm[0].header.va, 0x10000040u) << "the thread's pc";
  EXPECT_EQ(srm[0].header.exception, CK_EXC_MAPPING | 2u << 8);
  EXPECT_EQ(srm[0].header.address, 0u);
}

// CK_KERNEL_HOME_PAGED: a mapping fault of a kernel's thread in its home space is not the
// kernel's (its handler may be what faulted): the thread stops, the first kernel is told,
// and its wake makes the access again.
TEST_F(ObjectCachesTest, AHomeFaultOfAPagedKernelStopsTheThreadForTheFirstKernel) {
  const ObjectId k = kernel_b(0, CK_KERNEL_HOME_PAGED);
  const u32 kb = slot_of(k);
  ObjectId home;
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, CK_SPACE_HOME, &home), CK_OK);
  ck_thread_state st{};
  st.regs.pc = 0x10000040;
  st.exception_stack = 0x20000000;
  ObjectId t;
  ASSERT_EQ(caches_->load_thread(kb, home, 4, 0, st, &t), CK_OK);
  u32 slot = 0;
  ASSERT_EQ(caches_->threads().find(t, &slot), LookupError::None);
  ThreadObject& th = caches_->thread(slot);
  EXPECT_EQ(th.card().frame, 0u) << "none of its home faults is forwarded from the card";

  const ExceptionReport write{
      .kind = CK_EXC_MAPPING, .vector = 2, .address = VirtAddr(0x10002006), .access = CK_ACCESS_WRITE | 4u << 8};
  EXPECT_FALSE(caches_->forward(th, write));
  EXPECT_TRUE(th.state().blocked());
  EXPECT_FALSE(th.state().in_exception()) << "its handler was not entered";
  EXPECT_TRUE(drain(kRingB).empty()) << "nothing goes to its own ring: the thread stays loaded";
  const auto srm = drain(kSrmRing);
  ASSERT_EQ(srm.size(), 1u);
  EXPECT_EQ(srm[0].header.kind, CK_WB_HOME_FAULT);
  EXPECT_EQ(srm[0].header.id, t.raw());
  EXPECT_EQ(srm[0].header.cookie, 77u);
  EXPECT_EQ(srm[0].header.space, home.raw());
  EXPECT_EQ(srm[0].header.va, 0x10000040u) << "the thread's pc";
  EXPECT_EQ(srm[0].header.pa, CK_ACCESS_WRITE | 4u << 8) << "the access";
  EXPECT_EQ(srm[0].header.exception, CK_EXC_MAPPING | 2u << 8);
  EXPECT_EQ(srm[0].header.address, 0x10002006u);

  // Another kernel may not wake it; the first kernel does, and it goes on as it was.
  ObjectId other;
  ck_kernel_desc d2{
      .handler = 0x3000, .writeback_ring = kRingB.value() + 4096, .ring_bytes = 4096, .cookie = 78, .flags = 0};
  ASSERT_EQ(caches_->load_kernel(srm_, d2, &other), CK_OK);
  EXPECT_EQ(caches_->wake_thread(slot_of(other), t), CK_E_NOT_OWNER);
  EXPECT_TRUE(th.state().blocked());
  ASSERT_EQ(caches_->wake_thread(srm_, t), CK_OK);
  EXPECT_TRUE(th.state().ready());
  ck_registers regs;
  arch::get_registers(*th.context, &regs);
  EXPECT_EQ(regs.pc, 0x10000040u) << "the access is made again";

  // A protection fault there is still the kernel's own business: its handler gets it
  // (on its stack, mapped now).
  ASSERT_EQ(caches_->set_memory_access(srm_, k, PhysAddr(0x00180000), 512 * KiB, CK_RIGHTS_READ_WRITE), CK_OK);
  ASSERT_EQ(caches_->load_mapping(kb, home, VirtAddr(0x20000000 - 4096), PhysAddr(0x00180000), CK_MAP_WRITE), CK_OK);
  EXPECT_TRUE(caches_->forward(
      th, ExceptionReport{
              .kind = CK_EXC_PROTECTION, .vector = 2, .address = VirtAddr(0x10002006), .access = CK_ACCESS_WRITE}));
  EXPECT_TRUE(th.state().in_exception());
  EXPECT_TRUE(drain(kSrmRing).empty());
}

// A thread of such a kernel in another space whose trap finds its handler's stack page
// unmapped: a fault at that page for the first kernel, the trap taken again after the wake.
TEST_F(ObjectCachesTest, AForwardToAnUnmappedStackOfAPagedKernelIsTakenAgain) {
  const ObjectId k = kernel_b(0, CK_KERNEL_HOME_PAGED);
  const u32 kb = slot_of(k);
  ObjectId home, process;
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, CK_SPACE_HOME, &home), CK_OK);
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 2, 0, &process), CK_OK);
  ck_thread_state st{};
  st.regs.pc = 0x80000102;  // past its trap #0 at 0x80000100
  st.exception_stack = 0x20000000;
  ObjectId t;
  ASSERT_EQ(caches_->load_thread(kb, process, 4, 0, st, &t), CK_OK);
  u32 slot = 0;
  ASSERT_EQ(caches_->threads().find(t, &slot), LookupError::None);
  ThreadObject& th = caches_->thread(slot);
  EXPECT_FALSE(
      caches_->forward(th, ExceptionReport{.kind = CK_EXC_TRAP, .vector = 0, .address = VirtAddr(0), .access = 0}));
  EXPECT_TRUE(th.state().blocked());
  const auto srm = drain(kSrmRing);
  ASSERT_EQ(srm.size(), 1u);
  EXPECT_EQ(srm[0].header.kind, CK_WB_HOME_FAULT);
  EXPECT_EQ(srm[0].header.address & ~0xfffu, 0x20000000u - 4096) << "its stack's top page";
  EXPECT_EQ(srm[0].header.va, 0x80000100u) << "the pc back on the trap";
  ck_registers regs;
  arch::get_registers(*th.context, &regs);
  EXPECT_EQ(regs.pc, 0x80000100u);
  // An exception that cannot be made again (a divide by zero's pc is past it) ends it.
  ASSERT_EQ(caches_->wake_thread(srm_, t), CK_OK);
  EXPECT_FALSE(caches_->forward(
      th, ExceptionReport{.kind = CK_EXC_ZERO_DIVIDE, .vector = 5, .address = VirtAddr(0x80000100), .access = 0}));
  EXPECT_NE(caches_->threads().find(t, &slot), LookupError::None) << "unloaded as faulted";
}

TEST_F(ObjectCachesTest, FullThreadCacheReclaimsAnUnlockedThread) {
  const ObjectId s = space(1, CK_LOCK);
  const ObjectId locked = thread(s, 10, CK_LOCK);
  ObjectId others[3];
  for (u32 i = 0; i < 3; ++i) others[i] = thread(s, 11 + i);
  const ObjectId fifth = thread(s, 20);
  const auto r = drain(kSrmRing);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].header.kind, CK_WB_THREAD);
  EXPECT_NE(r[0].header.id, locked.raw()) << "the locked thread (in a locked space of a locked kernel) stays";
  EXPECT_EQ(r[0].header.flags & CK_WB_RECLAIMED, CK_WB_RECLAIMED);
  u32 slot;
  EXPECT_EQ(caches_->threads().find(fifth, &slot), LookupError::None);
  EXPECT_EQ(caches_->threads().find(ObjectId(r[0].header.id), &slot), LookupError::Stale);
}

TEST_F(ObjectCachesTest, FullSpaceCacheReclaimsASpaceWithItsDependents) {
  ObjectId s[4];
  for (u32 i = 0; i < 4; ++i) s[i] = space(i);
  ASSERT_EQ(caches_->load_mapping(srm_, s[0], vpage(0), page(0), 0), CK_OK);
  thread(s[0], 1);
  space(4);
  const auto r = drain(kSrmRing);
  ASSERT_GE(r.size(), 1u);
  EXPECT_EQ(r.back().header.kind, CK_WB_SPACE);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_SPACE), 4u);
  EXPECT_TRUE(caches_->consistent());
}

TEST_F(ObjectCachesTest, LockQuotasAreEnforced) {
  const ObjectId k = kernel_b(512 * KiB);
  const u32 kb = slot_of(k);
  ObjectId s;
  EXPECT_EQ(caches_->load_space(kb, ObjectId(), 1, CK_LOCK, &s), CK_E_QUOTA) << "quota 0 by default";
  ASSERT_EQ(caches_->set_lock_quota(srm_, k, CK_OBJECT_SPACE, 1), CK_OK);
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, CK_LOCK, &s), CK_OK);
  ObjectId s2;
  EXPECT_EQ(caches_->load_space(kb, ObjectId(), 2, CK_LOCK, &s2), CK_E_QUOTA);
  ASSERT_EQ(caches_->unload_space(kb, s), CK_OK);
  EXPECT_EQ(caches_->load_space(kb, ObjectId(), 2, CK_LOCK, &s2), CK_OK) << "unloading returns the lock";
  EXPECT_EQ(caches_->set_lock_quota(kb, k, CK_OBJECT_SPACE, 9), CK_E_NOT_SRM);
  EXPECT_EQ(caches_->set_lock_quota(srm_, k, 5, 9), CK_E_ARGUMENT);
}

TEST_F(ObjectCachesTest, MappingsAreCheckedAgainstPageGroups) {
  const ObjectId k = kernel_b();
  const u32 kb = slot_of(k);
  ObjectId s;
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, 0, &s), CK_OK);
  const PhysAddr group(0x00180000);
  EXPECT_EQ(caches_->load_mapping(kb, s, vpage(0), group, 0), CK_E_NO_RIGHTS);
  ASSERT_EQ(caches_->set_memory_access(srm_, k, group, 512 * KiB, CK_RIGHTS_READ), CK_OK);
  EXPECT_EQ(caches_->load_mapping(kb, s, vpage(0), group, CK_MAP_WRITE), CK_E_NO_RIGHTS) << "read-only group";
  EXPECT_EQ(caches_->load_mapping(kb, s, vpage(0), group, 0), CK_OK);
  EXPECT_EQ(caches_->load_mapping(kb, s, vpage(1), group + 512 * KiB, 0), CK_E_NO_RIGHTS) << "next group";
  EXPECT_EQ(caches_->set_memory_access(srm_, k, group + 4096, 512 * KiB, CK_RIGHTS_READ), CK_E_ADDRESS);
  EXPECT_EQ(caches_->set_memory_access(srm_, k, group, 512 * KiB, 2), CK_E_ARGUMENT);
  // Taking the rights away unloads the mappings they covered.
  ASSERT_EQ(caches_->set_memory_access(srm_, k, group, 512 * KiB, CK_RIGHTS_NONE), CK_OK);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_MAPPING), 0u);
  EXPECT_EQ(drain(kRingB).size(), 1u);
  EXPECT_EQ(caches_->unload_mapping(kb, s, vpage(0)), CK_E_NOT_MAPPED);
}

TEST_F(ObjectCachesTest, OnlyTheOwnerOrTheSrmMayTouchAnObject) {
  const ObjectId k = kernel_b(512 * KiB);
  const u32 kb = slot_of(k);
  const ObjectId srm_space = space(1);
  EXPECT_EQ(caches_->load_mapping(kb, srm_space, vpage(0), PhysAddr(0x00180000), 0), CK_E_NOT_OWNER);
  EXPECT_EQ(caches_->unload_space(kb, srm_space), CK_E_NOT_OWNER);
  ck_kernel_desc d{.handler = 0, .writeback_ring = kRingB.value(), .ring_bytes = 4096, .cookie = 0, .flags = 0};
  ObjectId id;
  EXPECT_EQ(caches_->load_kernel(kb, d, &id), CK_E_NOT_SRM);
  EXPECT_EQ(caches_->unload_kernel(srm_, caches_->kernels().id_of(srm_)), CK_E_BUSY);
}

TEST_F(ObjectCachesTest, AFullRingRefusesTheLoadAndChangesNothing) {
  const ObjectId s = space(1);
  for (u32 i = 0; i < 4; ++i) ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(i), page(i), 0), CK_OK);
  // Fill the SRM's ring: 127 usable slots, one always left empty.
  auto* h = static_cast<ck_ring_header*>(arch::physical_memory(kSrmRing));
  for (u32 i = 0; i < 126; ++i) {
    ASSERT_EQ(caches_->unload_mapping(srm_, s, vpage(0)), CK_OK);
    ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(0), page(0), 0), CK_OK);
  }
  EXPECT_EQ((h->head + 127 - h->tail) % 127, 126u);
  const u32 before = caches_->digest();
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(5), page(5), 0), CK_E_RETRY);
  EXPECT_EQ(caches_->unload_mapping(srm_, s, vpage(1)), CK_E_RETRY);
  EXPECT_EQ(caches_->digest(), before);
  drain(kSrmRing);
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(5), page(5), 0), CK_OK);
}

TEST_F(ObjectCachesTest, ThreadRecordsNeverWrapAroundTheRingEnd) {
  const ObjectId s = space(1);
  u32 records = 0;
  for (u32 i = 0; i < 40; ++i) {
    const ObjectId t = thread(s, i);
    ASSERT_EQ(caches_->unload_thread(srm_, t), CK_OK);
    const auto r = drain(kSrmRing);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].header.cookie, i);
    EXPECT_EQ(r[0].state.regs.d[3], i);
    records += 1;
  }
  EXPECT_EQ(records, 40u);
}

TEST_F(ObjectCachesTest, GarbageArgumentsChangeNothing) {
  const ObjectId s = space(1);
  ASSERT_EQ(caches_->load_mapping(srm_, s, vpage(0), page(0), 0), CK_OK);
  const u32 before = caches_->digest();
  ObjectId id;
  ck_thread_state st{};
  EXPECT_EQ(caches_->load_mapping(srm_, s, VirtAddr(0x123), page(1), 0), CK_E_ADDRESS);
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(1), PhysAddr(0x10), 0), CK_E_ADDRESS);
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(1), page(1), 0x80), CK_E_ARGUMENT);
  EXPECT_EQ(caches_->load_mapping(srm_, s, vpage(0), page(1), 0), CK_E_ALREADY_MAPPED);
  EXPECT_EQ(caches_->load_mapping(srm_, ObjectId(0xdeadbeef), vpage(1), page(1), 0), CK_E_INVALID_ID);
  EXPECT_EQ(caches_->load_space(srm_, ObjectId(), 1, 0x100, &id), CK_E_ARGUMENT);
  EXPECT_EQ(caches_->load_thread(srm_, s, 1, 40u << CK_PRIORITY_SHIFT, st, &id), CK_E_ARGUMENT);
  EXPECT_EQ(caches_->load_thread(srm_, s, 1, 0x4, st, &id), CK_E_ARGUMENT);
  EXPECT_EQ(caches_->set_cpu(srm_, caches_->kernels().id_of(srm_), 0, 3), CK_E_ARGUMENT);
  EXPECT_EQ(caches_->unload_page(srm_, PhysAddr(0x00000123)), CK_E_ADDRESS);
  ck_kernel_desc d{.handler = 0, .writeback_ring = 0x123, .ring_bytes = 4096, .cookie = 0, .flags = 0};
  EXPECT_EQ(caches_->load_kernel(srm_, d, &id), CK_E_ADDRESS);
  d.writeback_ring = 0x7000000;
  EXPECT_EQ(caches_->load_kernel(srm_, d, &id), CK_E_NO_RIGHTS);
  EXPECT_EQ(caches_->digest(), before);
  EXPECT_TRUE(caches_->consistent());
}

TEST_F(ObjectCachesTest, UnloadPageRemovesEveryMappingOfIt) {
  const ObjectId a = space(1), b = space(2);
  ASSERT_EQ(caches_->load_mapping(srm_, a, vpage(0), page(3), 0), CK_OK);
  ASSERT_EQ(caches_->load_mapping(srm_, b, vpage(9), page(3), 0), CK_OK);
  ASSERT_EQ(caches_->load_mapping(srm_, b, vpage(1), page(4), 0), CK_OK);
  ASSERT_EQ(caches_->unload_page(srm_, page(3)), CK_OK);
  EXPECT_EQ(caches_->loaded(CK_OBJECT_MAPPING), 1u);
  EXPECT_EQ(drain(kSrmRing).size(), 2u);
}

TEST_F(ObjectCachesTest, PrioritiesAreBoundedByTheKernelsMaximum) {
  const ObjectId k = kernel_b();
  const u32 kb = slot_of(k);
  ObjectId s, t;
  ASSERT_EQ(caches_->load_space(kb, ObjectId(), 1, 0, &s), CK_OK);
  ASSERT_EQ(caches_->set_cpu(srm_, k, 50, 4), CK_OK);
  ck_thread_state st{};
  EXPECT_EQ(caches_->load_thread(kb, s, 1, 5u << CK_PRIORITY_SHIFT, st, &t), CK_E_PRIORITY);
  ASSERT_EQ(caches_->load_thread(kb, s, 1, 4u << CK_PRIORITY_SHIFT, st, &t), CK_OK);
  EXPECT_EQ(caches_->set_priority(kb, t, 5), CK_E_PRIORITY);
  EXPECT_EQ(caches_->set_priority(kb, t, 2), CK_OK);
  ASSERT_EQ(caches_->set_cpu(srm_, k, 50, 1), CK_OK);
  EXPECT_EQ(caches_->scheduler().priority(t.slot(ObjectCaches::Threads::kSlotBits)), 1u) << "lowered to the new max";
}

}  // namespace
}  // namespace ck

namespace ck {
namespace {

// load_mapping_plain (the common case, CK_LOAD_MAPPING's fast path) against load_mapping:
// the same random calls from the same start, one run through the plain path (load_mapping
// where it declines), one through load_mapping alone, give the same answer and the same
// caches after every call (what plain_load_declined declines goes to load_mapping).
TEST_F(ObjectCachesTest, ThePlainMappingLoadAnswersAsLoadMapping) {
  constexpr ck_status kDeclined = static_cast<ck_status>(1);
  struct Run {
    std::vector<ck_status> answers;
    std::vector<u32> digests;
    std::vector<u32> pages;  // each loaded page's descriptor state, which the digest leaves out
    u32 declined = 0, plain = 0;
  };
  auto run = [&](bool through_plain) {
    SetUp();
    Run r;
    const ObjectId k = kernel_b(512 * KiB);
    const u32 kb = slot_of(k);
    const ObjectId mine = space(1), stale = space(2);
    ObjectId theirs;
    EXPECT_EQ(caches_->load_space(kb, ObjectId(), 3, 0, &theirs), CK_OK);
    EXPECT_EQ(caches_->unload_space(srm_, stale), CK_OK);
    const ObjectId receiver = thread(mine, 9);
    const ObjectId spaces[] = {mine, theirs, stale, ObjectId(0x12345), ObjectId()};
    const u32 flag_sets[] = {0,           CK_MAP_WRITE,   CK_MAP_NOCACHE,  CK_MAP_WRITE | CK_MAP_NOCACHE,
                             CK_MAP_LOCK, CK_MAP_MESSAGE, CK_MAP_MODIFIED, CK_MAP_WRITE | CK_MAP_MODIFIED,
                             0x80000000u};
    const PhysAddr pages[] = {
        page(0), page(1), page(2), PhysAddr(0x00180000), PhysAddr(0x00181000), PhysAddr(0x00300000), page(1) + 8};
    u32 seed = 12345;
    auto next = [&](u32 n) {
      seed = seed * 1103515245u + 12345u;
      return (seed >> 16) % n;
    };
    for (u32 i = 0; i < 3000; ++i) {
      const u32 caller = next(4) == 0 ? kb : srm_;
      const ObjectId s = spaces[next(8) < 4 ? next(2) : next(5)];
      const VirtAddr va = next(16) == 0 ? vpage(next(6)) + 4 : vpage(next(6));
      if (next(3) == 0) {
        r.answers.push_back(caches_->unload_mapping(caller, s, va));
      } else {
        const PhysAddr pa = pages[next(8) < 5 ? next(3) : next(7)];
        const u32 flags = flag_sets[next(8) < 5 ? next(4) : next(9)];
        const ObjectId signal = next(10) == 0 ? receiver : ObjectId();
        const bool written = next(4) == 0;  // CK_LOAD_MAPPING_RESUME's faulted write
        ck_status a = kDeclined;
        if (through_plain) {
          const u32 before = caches_->digest();
          if (!caches_->plain_load_declined(flags, signal))
            a = caches_->load_mapping_plain(caller, s, va, pa, flags, signal, written);
          if (a == kDeclined) {
            EXPECT_EQ(caches_->digest(), before) << "declined having changed nothing, call " << i;
            r.declined += 1;
          } else {
            r.plain += 1;
          }
        }
        if (a == kDeclined) a = caches_->load_mapping(caller, s, va, pa, flags, signal, written);
        r.answers.push_back(a);
        arch::PageState st;
        if (a == CK_OK) {  // (a written page goes in used and modified)
          const PhysAddr root = caches_->spaces()[s.slot(ObjectCaches::Spaces::kSlotBits)].tables.tables;
          EXPECT_TRUE(arch::lookup_page(root, va, &st)) << "call " << i;
          r.pages.push_back(u32{st.writable} << 2 | u32{st.used} << 1 | u32{st.modified});
        }
      }
      if (next(20) == 0) {
        drain(kSrmRing);
        drain(kRingB);
      }
      r.digests.push_back(caches_->digest());
      EXPECT_TRUE(caches_->consistent()) << "call " << i;
    }
    return r;
  };
  const Run plain = run(true);
  const Run whole = run(false);
  ASSERT_EQ(plain.answers.size(), whole.answers.size());
  for (usize i = 0; i < plain.answers.size(); ++i) {
    ASSERT_EQ(plain.answers[i], whole.answers[i]) << "call " << i;
    ASSERT_EQ(plain.digests[i], whole.digests[i]) << "call " << i;
  }
  EXPECT_EQ(plain.pages, whole.pages);
  EXPECT_GT(plain.plain, 300u) << "the plain path answered many";
  EXPECT_GT(plain.declined, 300u) << "and declined many";
  u32 ok = 0;
  for (const ck_status a : plain.answers) ok += a == CK_OK ? 1 : 0;
  EXPECT_GT(ok, 100u);
}

}  // namespace
}  // namespace ck
