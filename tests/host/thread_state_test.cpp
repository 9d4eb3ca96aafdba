// A thread's state (kernel/thread_state.h): every legal transition, and an illegal one
// stops the kernel (CK_ASSERT, checked in host builds).
#include "thread_state.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

TEST(ThreadStateTest, ALoadedThreadIsReadyInItsOwnContext) {
  const ThreadState s;
  EXPECT_TRUE(s.ready());
  EXPECT_EQ(s.running(), Running::Own);
  EXPECT_FALSE(s.blocked() || s.halted() || s.in_exception() || s.in_signal());
}

TEST(ThreadStateTest, BlockingWaysAndWakingUp) {
  ThreadState s;
  s.block(false);
  EXPECT_EQ(s.activity(), Activity::Blocked);
  EXPECT_TRUE(s.blocked());
  s.unblock();
  s.block(true);
  EXPECT_EQ(s.activity(), Activity::BlockedSelf);
  s.unblock();
  s.wait_signal();
  EXPECT_EQ(s.activity(), Activity::WaitingSignal);
  EXPECT_TRUE(s.blocked());
  s.unblock();
  EXPECT_TRUE(s.ready());
  s.halt();
  EXPECT_TRUE(s.halted());
  EXPECT_FALSE(s.blocked());
}

TEST(ThreadStateTest, AHandlerRunsOverItsOwnCodeOrItsSignalFunction) {
  ThreadState s;
  s.enter_handler();
  EXPECT_EQ(s.running(), Running::Handler);
  EXPECT_TRUE(s.in_exception());
  EXPECT_FALSE(s.in_signal());
  s.leave_handler();
  s.enter_signal();
  EXPECT_EQ(s.running(), Running::Signal);
  s.enter_handler();
  EXPECT_EQ(s.running(), Running::SignalHandler);
  EXPECT_TRUE(s.in_exception() && s.in_signal());
  s.leave_handler();
  EXPECT_EQ(s.running(), Running::Signal) << "back to the signal function it interrupted";
  s.leave_signal();
  EXPECT_EQ(s.running(), Running::Own);
}

TEST(ThreadStateTest, AContextChangeKeepsWhetherItMayRun) {
  ThreadState s;
  s.enter_handler();
  s.block(true);  // the handler's own CK_BLOCK
  EXPECT_EQ(s.running(), Running::Handler);
  EXPECT_EQ(s.activity(), Activity::BlockedSelf);
}

using ThreadStateDeathTest = ::testing::Test;

TEST_F(ThreadStateDeathTest, IllegalTransitionsStopTheKernel) {
  EXPECT_DEATH(ThreadState().unblock(), "assertion failed");
  EXPECT_DEATH(ThreadState().leave_handler(), "assertion failed");
  EXPECT_DEATH(ThreadState().leave_signal(), "assertion failed");
  EXPECT_DEATH(
      {
        ThreadState s;
        s.halt();
        s.block(false);
      },
      "assertion failed");
  EXPECT_DEATH(
      {
        ThreadState s;
        s.enter_handler();
        s.enter_handler();
      },
      "assertion failed");
  EXPECT_DEATH(
      {
        ThreadState s;
        s.wait_signal();
        s.halt();
      },
      "assertion failed");
}

}  // namespace
}  // namespace ck
