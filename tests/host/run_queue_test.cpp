// The run queue: highest level first, round robin within a level, rotation, removal
// from any position, moving between levels.
#include "run_queue.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

TEST(RunQueue, RoundRobinOrder) {
  Thread a, b, c;
  RunQueue q;
  EXPECT_TRUE(q.empty());
  q.push_back(a);
  q.push_back(b);
  q.push_back(c);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.front(), &a);
  q.rotate();
  EXPECT_EQ(q.front(), &b);
  q.rotate();
  EXPECT_EQ(q.front(), &c);
  q.rotate();
  EXPECT_EQ(q.front(), &a);
}

TEST(RunQueue, RemoveFrontMiddleAndLast) {
  Thread a, b, c;
  RunQueue q;
  q.push_back(a);
  q.push_back(b);
  q.push_back(c);
  q.remove(b);
  EXPECT_FALSE(q.contains(b));
  EXPECT_EQ(q.size(), 2u);
  q.rotate();
  EXPECT_EQ(q.front(), &c);
  q.remove(c);
  EXPECT_EQ(q.front(), &a);
  q.rotate();
  EXPECT_EQ(q.front(), &a) << "a lone thread keeps the processor";
  q.remove(a);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.front(), nullptr);
  q.push_back(b);
  EXPECT_EQ(q.front(), &b) << "a removed thread can be queued again";
}

TEST(RunQueue, NewThreadsGoBehindTheCurrentOne) {
  Thread a, b, c;
  RunQueue q;
  q.push_back(a);
  q.push_back(b);
  q.rotate();  // b runs
  q.push_back(c);
  EXPECT_EQ(q.front(), &b);
  q.rotate();
  EXPECT_EQ(q.front(), &a) << "c waits behind a, who was already waiting";
  q.rotate();
  EXPECT_EQ(q.front(), &c);
}

TEST(RunQueue, HigherLevelsRunFirstWhateverTheOrderOfArrival) {
  Thread low, mid, high, top;
  low.level = 3;
  mid.level = 31;
  high.level = 32;  // the first level of the upper word
  top.level = 63;
  RunQueue q;
  q.push_back(low);
  EXPECT_EQ(q.front(), &low);
  q.push_back(high);
  EXPECT_EQ(q.front(), &high);
  q.push_back(mid);
  EXPECT_EQ(q.front(), &high);
  q.push_back(top);
  EXPECT_EQ(q.front(), &top);
  q.remove(top);
  EXPECT_EQ(q.front(), &high);
  q.remove(high);
  EXPECT_EQ(q.front(), &mid) << "the upper word is empty again";
  q.remove(mid);
  EXPECT_EQ(q.front(), &low);
  q.remove(low);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.front(), nullptr);
}

TEST(RunQueue, RotationStaysWithinTheFrontLevel) {
  Thread a, b, low;
  a.level = b.level = 40;
  low.level = 10;
  RunQueue q;
  q.push_back(a);
  q.push_back(low);
  q.push_back(b);
  EXPECT_EQ(q.front(), &a);
  q.rotate();
  EXPECT_EQ(q.front(), &b);
  q.rotate();
  EXPECT_EQ(q.front(), &a) << "the lower level never gets a turn while the higher one is ready";
  q.rotate(low);
  EXPECT_EQ(q.front(), &a);
}

TEST(RunQueue, RotatingAThreadMovesItOnlyWhenItLeadsItsLevel) {
  Thread a, b, c;
  a.level = b.level = c.level = 5;
  RunQueue q;
  q.push_back(a);
  q.push_back(b);
  q.push_back(c);
  q.rotate(b);  // b was preempted mid-slice, not at the head
  EXPECT_EQ(q.front(), &a);
  q.rotate(a);
  EXPECT_EQ(q.front(), &b);
}

TEST(RunQueue, SetLevelMovesAQueuedThreadToTheBackOfItsNewLevel) {
  Thread a, b, c;
  a.level = b.level = 7;
  c.level = 9;
  RunQueue q;
  q.push_back(a);
  q.push_back(b);
  q.push_back(c);
  EXPECT_EQ(q.front(), &c);
  q.set_level(a, 9);
  EXPECT_EQ(q.front(), &c) << "a goes behind c at level 9";
  q.rotate();
  EXPECT_EQ(q.front(), &a);
  q.set_level(a, 2);
  q.set_level(c, 2);
  EXPECT_EQ(q.front(), &b);
  q.remove(b);
  EXPECT_EQ(q.front(), &a);
  EXPECT_EQ(q.size(), 2u);
  Thread idle;
  const u32 version = q.version();
  q.set_level(idle, 50);
  EXPECT_EQ(q.version(), version) << "nothing queued changed";
  q.set_level(a, 3);
  EXPECT_NE(q.version(), version) << "a queued thread moved";
  EXPECT_EQ(idle.level, 50);
  EXPECT_FALSE(q.contains(idle)) << "an unqueued thread only has its level set";
  EXPECT_EQ(q.front(), &a);
}

}  // namespace
}  // namespace ck
