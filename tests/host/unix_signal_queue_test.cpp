// The UNIX emulator's queue of real-time signal instances (ak-unix/signal_queue.h): each
// owner's instances of a signal come back oldest first, owners and signals apart; drops
// take exactly what they name; the pool refuses once full and takes again once freed.
#include <gtest/gtest.h>

#include <memory>

#include "signal_queue.h"

namespace {

using unixemu::PendingInfo;
using unixemu::QueueOwner;
using unixemu::SignalQueue;

PendingInfo info_of(uint32_t value) { return PendingInfo{.code = -1, .word = {1, 0, value}}; }

uint32_t popped(SignalQueue& q, QueueOwner o, uint32_t signal) {
  PendingInfo i{};
  if (!q.pop(o, signal, &i)) return 0;
  return i.word[2];
}

constexpr QueueOwner kA{.slot = 3}, kAShared{.slot = 3, .shared = true}, kB{.slot = 4};

TEST(SignalQueue, OnlyRealTimeSignalsAreQueued) {
  EXPECT_FALSE(SignalQueue::queued(1));
  EXPECT_FALSE(SignalQueue::queued(31));
  EXPECT_TRUE(SignalQueue::queued(32));
  EXPECT_TRUE(SignalQueue::queued(64));
}

TEST(SignalQueue, InstancesComeBackOldestFirstPerOwnerAndSignal) {
  auto q = std::make_unique<SignalQueue>();
  ASSERT_TRUE(q->push(kA, 34, info_of(1)));
  ASSERT_TRUE(q->push(kB, 34, info_of(2)));
  ASSERT_TRUE(q->push(kA, 35, info_of(3)));
  ASSERT_TRUE(q->push(kA, 34, info_of(4)));
  ASSERT_TRUE(q->push(kAShared, 34, info_of(5)));
  EXPECT_EQ(q->used(), 5u);
  EXPECT_EQ(popped(*q, kA, 34), 1u);
  EXPECT_EQ(popped(*q, kA, 34), 4u);
  EXPECT_EQ(popped(*q, kA, 34), 0u) << "none left";
  EXPECT_EQ(popped(*q, kAShared, 34), 5u) << "the shared set is another owner";
  EXPECT_EQ(popped(*q, kB, 34), 2u);
  EXPECT_EQ(popped(*q, kA, 35), 3u);
  EXPECT_EQ(q->used(), 0u);
}

TEST(SignalQueue, TheOrderSurvivesReusedEntries) {
  auto q = std::make_unique<SignalQueue>();
  for (uint32_t i = 0; i < 4; ++i) ASSERT_TRUE(q->push(kA, 40, info_of(i)));
  EXPECT_EQ(popped(*q, kA, 40), 0u);
  EXPECT_EQ(popped(*q, kA, 40), 1u);
  ASSERT_TRUE(q->push(kA, 40, info_of(9)));  // takes a freed entry before the others
  EXPECT_EQ(popped(*q, kA, 40), 2u);
  EXPECT_EQ(popped(*q, kA, 40), 3u);
  EXPECT_EQ(popped(*q, kA, 40), 9u);
}

TEST(SignalQueue, DropsTakeWhatTheyName) {
  auto q = std::make_unique<SignalQueue>();
  q->push(kA, 34, info_of(1));
  q->push(kA, 35, info_of(2));
  q->push(kAShared, 34, info_of(3));
  q->push(kB, 34, info_of(4));
  q->drop(kA, 1ull << (34 - 1));
  EXPECT_EQ(popped(*q, kA, 34), 0u);
  EXPECT_EQ(q->used(), 3u);
  q->drop_slot(3);  // its own and its shared ones
  EXPECT_EQ(popped(*q, kA, 35), 0u);
  EXPECT_EQ(popped(*q, kAShared, 34), 0u);
  EXPECT_EQ(popped(*q, kB, 34), 4u);
  EXPECT_EQ(q->used(), 0u);
}

TEST(SignalQueue, AStandardSignalIsNeverPopped) {
  auto q = std::make_unique<SignalQueue>();
  q->push(kA, 10, info_of(1));  // the pool takes what it is given; pop keeps to queued ones
  EXPECT_EQ(popped(*q, kA, 10), 0u);
}

TEST(SignalQueue, MoveSlotHandsInstancesOver) {
  auto q = std::make_unique<SignalQueue>();
  q->push(kB, 34, info_of(7));
  q->move_slot(4, 3);
  EXPECT_EQ(popped(*q, kB, 34), 0u);
  EXPECT_EQ(popped(*q, kA, 34), 7u);
}

TEST(SignalQueue, AFullPoolRefusesAndChangesNothing) {
  auto q = std::make_unique<SignalQueue>();
  for (uint32_t i = 0; i < SignalQueue::kMax; ++i) ASSERT_TRUE(q->push(kA, 33, info_of(i)));
  EXPECT_TRUE(q->full());
  EXPECT_FALSE(q->push(kB, 33, info_of(999)));
  EXPECT_EQ(q->used(), SignalQueue::kMax);
  EXPECT_EQ(popped(*q, kB, 33), 0u);
  EXPECT_EQ(popped(*q, kA, 33), 0u);
  EXPECT_FALSE(q->full());
  EXPECT_TRUE(q->push(kB, 33, info_of(1000)));
  for (uint32_t i = 1; i < SignalQueue::kMax; ++i) EXPECT_EQ(popped(*q, kA, 33), i);
  EXPECT_EQ(popped(*q, kB, 33), 1000u);
}

}  // namespace
