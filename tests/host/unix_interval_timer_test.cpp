// The UNIX emulator's interval timers (ak-unix/interval_timer.h): arming, what is left,
// firing once or at every interval, expiries it missed skipped, disarming.
#include <gtest/gtest.h>

#include "interval_timer.h"

namespace {

using unixemu::IntervalTimer;

TEST(IntervalTimer, DisarmedNeverFiresAndHasNothingLeft) {
  IntervalTimer t;
  EXPECT_FALSE(t.armed());
  EXPECT_EQ(t.remaining(100), 0u);
  EXPECT_FALSE(t.fire(~0ull));
}

TEST(IntervalTimer, AOneShotFiresOnceAtItsDeadline) {
  IntervalTimer t;
  t.set(1000, 500, 0);
  EXPECT_TRUE(t.armed());
  EXPECT_EQ(t.remaining(1200), 300u);
  EXPECT_FALSE(t.fire(1499));
  EXPECT_TRUE(t.fire(1500));
  EXPECT_FALSE(t.armed());
  EXPECT_FALSE(t.fire(5000));
}

TEST(IntervalTimer, AnArmedTimerNeverReportsNothingLeft) {
  IntervalTimer t;
  t.set(0, 10, 0);
  EXPECT_EQ(t.remaining(10), 1u);
  EXPECT_EQ(t.remaining(1000), 1u);
}

TEST(IntervalTimer, APeriodicTimerFiresEachIntervalAndSkipsWhatItMissed) {
  IntervalTimer t;
  t.set(0, 100, 30);
  EXPECT_TRUE(t.fire(100));
  EXPECT_EQ(t.remaining(100), 30u);
  EXPECT_FALSE(t.fire(129));
  EXPECT_TRUE(t.fire(130));
  // Late by several intervals: one firing, the next deadline the first one after now.
  EXPECT_TRUE(t.fire(255));
  EXPECT_EQ(t.remaining(255), 25u);  // due at 160, 190, 220, 250: next at 280
  EXPECT_FALSE(t.fire(255));
  EXPECT_EQ(t.interval(), 30u);
}

TEST(IntervalTimer, AZeroValueDisarmsWhateverTheInterval) {
  IntervalTimer t;
  t.set(0, 100, 30);
  t.set(50, 0, 30);
  EXPECT_FALSE(t.armed());
  EXPECT_EQ(t.interval(), 0u);
  EXPECT_FALSE(t.fire(1000));
}

}  // namespace
