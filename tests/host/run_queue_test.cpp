// The round-robin run queue: order, rotation, removal from any position.
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

}  // namespace
}  // namespace ck
