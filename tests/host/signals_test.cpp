// Memory-based messaging by the object caches (issue 6, paper §2.2, §4.1, §4.2) on the
// simulated machine: a signal reaches each receiver at its own virtual address, through
// the reverse TLB once it is known; signals queue and overflow visibly; signal
// functions and return; waiting for a signal; unloading a signal mapping or its thread
// flushes the page's writable mappings (multi-mapping consistency), never past a full
// ring, and a full mapping cache never reclaims a receiver whose flush would take a
// locked mapping (the SRM's ring, mapped again as its signal page); bad arguments
// change nothing.
#include <cstring>
#include <vector>

#include "caches_fixture.h"
#include "ring_reader.h"

namespace ck {
namespace {

constexpr PhysAddr kMessagePage = kMemoryBase + 128 * KiB;
constexpr VirtAddr kSenderVa(0x30000000);
constexpr VirtAddr kReceiverVa(0x50000000);

class SignalsTest : public CachesTest {
 protected:
  void SetUp() override {
    CachesTest::SetUp();
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 10, 0, &sender_space_), CK_OK);
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 11, 0, &receiver_space_), CK_OK);
    sender_ = thread(sender_space_, 1);
    receiver_ = thread(receiver_space_, 1);
    ASSERT_EQ(caches_.load_mapping(srm_, sender_space_, kSenderVa, kMessagePage, CK_MAP_WRITE | CK_MAP_MESSAGE), CK_OK);
  }

  ck_status receive_on(ObjectId thread_id, u32 flags = CK_MAP_MESSAGE) {
    return caches_.load_mapping(srm_, receiver_space_, kReceiverVa, kMessagePage, flags, thread_id);
  }
  ck_status send(u32 offset, u32* delivered) { return caches_.signal(object(sender_), kSenderVa + offset, delivered); }
  u32 d1(const arch::UserContext& c) { return arch::call_arguments(c).arg[0]; }

  ObjectId sender_space_, receiver_space_, sender_, receiver_;
};

TEST_F(SignalsTest, AWaitingReceiverGetsTheAddressInItsOwnSpace) {
  ASSERT_EQ(receive_on(receiver_), CK_OK);
  ThreadObject& r = object(receiver_);
  u32 value = 1;
  ASSERT_EQ(caches_.wait_signal(r, &value), CK_OK);
  EXPECT_EQ(r.state().activity(), Activity::WaitingSignal);
  u32 delivered = 0;
  ASSERT_EQ(send(0x124, &delivered), CK_OK);
  EXPECT_EQ(delivered, 1u);
  EXPECT_FALSE(r.state().blocked());
  EXPECT_TRUE(caches_.run_queue().contains(r));
  EXPECT_EQ(d1(r.own), kReceiverVa.value() + 0x124) << "its CK_WAIT_SIGNAL returns its own address";
}

TEST_F(SignalsTest, SignalsQueueInOrderAndOverflowIsReported) {
  ASSERT_EQ(receive_on(receiver_), CK_OK);
  u32 delivered = 0;
  for (u32 i = 0; i < CK_SIGNAL_QUEUE; ++i) ASSERT_EQ(send(i * 4, &delivered), CK_OK);
  EXPECT_EQ(send(0x800, &delivered), CK_E_SIGNAL_QUEUE_FULL);
  EXPECT_EQ(delivered, 0u) << "the full receiver did not get it";
  ThreadObject& r = object(receiver_);
  for (u32 i = 0; i < CK_SIGNAL_QUEUE; ++i) {
    u32 value = 0;
    ASSERT_EQ(caches_.wait_signal(r, &value), CK_OK);
    EXPECT_EQ(value, kReceiverVa.value() + i * 4) << "in the order sent";
  }
  EXPECT_FALSE(r.state().blocked());
}

TEST_F(SignalsTest, ASignalFunctionRunsEachSignalThenReturns) {
  const ObjectId handler_thread = thread(receiver_space_, 1, kNoSlot, 0x5000);
  ASSERT_EQ(receive_on(handler_thread), CK_OK);
  ThreadObject& t = object(handler_thread);
  u32 delivered = 0;
  ASSERT_EQ(send(0x10, &delivered), CK_OK);
  ASSERT_EQ(send(0x20, &delivered), CK_OK);
  EXPECT_TRUE(t.state().in_signal());
  EXPECT_EQ(t.state().running(), Running::Signal);
  EXPECT_EQ(t.context->pc(), 0x5000u);
  EXPECT_EQ(d1(*t.context), kReceiverVa.value() + 0x10);
  EXPECT_LT(t.context->usp, 0x00800000u) << "below the interrupted stack";
  EXPECT_EQ(caches_.messaging().queued(t.slot()), 1u) << "the second waits while the function runs";
  ASSERT_EQ(caches_.signal_return(t), CK_OK);
  EXPECT_TRUE(t.state().in_signal());
  EXPECT_EQ(d1(*t.context), kReceiverVa.value() + 0x20) << "the next one at once";
  ASSERT_EQ(caches_.signal_return(t), CK_OK);
  EXPECT_FALSE(t.state().in_signal());
  EXPECT_EQ(t.context, &t.own);
  EXPECT_EQ(caches_.signal_return(t), CK_E_NOT_IN_SIGNAL);
}

TEST_F(SignalsTest, TheReverseTlbAnswersAfterTheFirstLookupUntilTheMappingLeaves) {
  ASSERT_EQ(receive_on(receiver_), CK_OK);
  u32 delivered = 0;
  ASSERT_EQ(send(0, &delivered), CK_OK);
  EXPECT_EQ(caches_.reverse_tlb().misses(), 1u);
  ASSERT_EQ(send(4, &delivered), CK_OK);
  EXPECT_EQ(caches_.reverse_tlb().hits(), 1u);
  EXPECT_EQ(delivered, 1u);
  ASSERT_EQ(caches_.unload_mapping(srm_, receiver_space_, kReceiverVa), CK_OK);
  // The sender's writable mapping went with it (multi-mapping consistency): load it back.
  ASSERT_EQ(caches_.load_mapping(srm_, sender_space_, kSenderVa, kMessagePage, CK_MAP_WRITE | CK_MAP_MESSAGE), CK_OK);
  ASSERT_EQ(send(8, &delivered), CK_OK);
  EXPECT_EQ(delivered, 0u) << "no receiver any more, and no stale entry delivered";
  EXPECT_EQ(caches_.reverse_tlb().hits(), 1u);
}

TEST_F(SignalsTest, UnloadingASignalMappingFlushesTheWritableMappingsOfItsPage) {
  ASSERT_EQ(receive_on(receiver_), CK_OK);
  drain(kSrmRing);
  ASSERT_EQ(caches_.unload_mapping(srm_, receiver_space_, kReceiverVa), CK_OK);
  const std::vector<RingRecord> wb = drain(kSrmRing);
  ASSERT_EQ(wb.size(), 2u);
  EXPECT_EQ(wb[0].header.va, kReceiverVa.value());
  EXPECT_NE(wb[0].header.flags & CK_WB_SIGNAL, 0u);
  EXPECT_EQ(wb[0].header.exception, receiver_.raw()) << "its signal thread";
  EXPECT_EQ(wb[1].header.va, kSenderVa.value());
  EXPECT_NE(wb[1].header.flags & CK_WB_FLUSHED, 0u);
  u32 delivered = 0;
  EXPECT_EQ(send(0, &delivered), CK_E_NOT_MAPPED) << "the sender's next access faults instead";
}

TEST_F(SignalsTest, UnloadingTheSignalThreadUnloadsItsMappingsFirst) {
  ASSERT_EQ(receive_on(receiver_), CK_OK);
  drain(kSrmRing);
  ASSERT_EQ(caches_.unload_thread(srm_, receiver_), CK_OK);
  const std::vector<RingRecord> wb = drain(kSrmRing);
  ASSERT_EQ(wb.size(), 3u);
  EXPECT_EQ(wb[0].header.kind, CK_WB_MAPPING) << "the signal mapping";
  EXPECT_EQ(wb[1].header.kind, CK_WB_MAPPING) << "the sender's, flushed";
  EXPECT_EQ(wb[2].header.kind, CK_WB_THREAD);
}

TEST_F(SignalsTest, AFullRingRefusesTheUnloadAndChangesNothing) {
  ASSERT_EQ(receive_on(receiver_), CK_OK);
  drain(kSrmRing);
  // Fill the ring but one slot: the signal mapping's record fits, the flush does not.
  auto* h = static_cast<ck_ring_header*>(arch::physical_memory(kSrmRing));
  h->tail = h->head + 2;  // the ring holds all but one free slot
  const u32 before = caches_.digest();
  EXPECT_EQ(caches_.unload_mapping(srm_, receiver_space_, kReceiverVa), CK_E_RETRY);
  EXPECT_EQ(caches_.digest(), before);
  h->tail = h->head;
}

// The SRM maps its writeback ring locked and writable and, a second time, in message
// mode for the ring's signals (ak-srm/srm.cpp kRingSignals). Reclaiming that receiver
// flushed the page's writable mappings, the locked ring mapping among them, and the SRM
// faulted reading its ring's tail (0x70200004, issue "ringfault"). A reclaim must leave
// a locked mapping whole: a receiver whose flush would take one is not a victim.
using LockedSenderTest = CachesTest;

TEST_F(LockedSenderTest, AFullMappingCacheNeverFlushesALockedMappingThroughItsReceiver) {
  constexpr VirtAddr kRingVa(0x70200000), kSignalsVa(0x70300000), kOtherVa(0x10000000);
  ObjectId space;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 20, CK_LOCK, &space), CK_OK);
  const ObjectId receiver = thread(space, 1);
  ASSERT_EQ(caches_.load_mapping(srm_, space, kRingVa, kMessagePage, CK_MAP_WRITE | CK_MAP_LOCK), CK_OK);
  ASSERT_EQ(caches_.load_mapping(srm_, space, kSignalsVa, kMessagePage, CK_MAP_WRITE | CK_MAP_MESSAGE, receiver),
            CK_OK);
  const u32 slot = space.slot(ObjectCaches::Spaces::kSlotBits);
  const MemoryMap& map = caches_.memory_map();
  // Many more unlocked loads than the cache holds: each one takes a victim.
  for (u32 i = 0; i < 4 * map.capacity(); ++i) {
    drain(kSrmRing);
    const VirtAddr va = kOtherVa + i * arch::kPageBytes;
    ASSERT_EQ(caches_.load_mapping(srm_, space, va, kMemoryBase + 256 * KiB + i * arch::kPageBytes, CK_MAP_WRITE),
              CK_OK)
        << "load " << i;
    ASSERT_NE(map.find(slot, kRingVa), MemoryMap::kNone) << "the locked mapping was flushed by load " << i;
  }
  for (const RingRecord& r : drain(kSrmRing)) EXPECT_NE(r.header.va, kRingVa.value());
}

TEST_F(SignalsTest, BadArgumentsChangeNothing) {
  ObjectId space_b;
  const u32 kb = kernel_b(50, 5, &space_b);
  const ObjectId other_kernels = thread(space_b, 1, kb);
  const u32 before = caches_.digest();
  EXPECT_EQ(receive_on(receiver_, 0), CK_E_ARGUMENT) << "a signal thread needs message mode";
  EXPECT_EQ(receive_on(other_kernels), CK_E_NOT_OWNER) << "a thread of another kernel";
  EXPECT_EQ(receive_on(ObjectId(0x80000000)), CK_E_INVALID_ID);
  EXPECT_EQ(receive_on(receiver_space_), CK_E_INVALID_ID) << "a space is not a thread";
  u32 delivered = 0;
  EXPECT_EQ(caches_.signal(object(sender_), VirtAddr(0x12345678), &delivered), CK_E_NOT_MAPPED);
  ASSERT_EQ(caches_.digest(), before);
  ASSERT_EQ(caches_.load_mapping(srm_, receiver_space_, kReceiverVa, kMessagePage, CK_MAP_WRITE), CK_OK);
  EXPECT_EQ(caches_.signal(object(receiver_), kReceiverVa, &delivered), CK_E_NOT_MESSAGE);
  EXPECT_EQ(caches_.signal_return(object(receiver_)), CK_E_NOT_IN_SIGNAL);
}

}  // namespace
}  // namespace ck
