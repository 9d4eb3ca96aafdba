// The tick rate from the command line.
#include "clock.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

TEST(Clock, DefaultRateWhenAbsent) {
  u32 hz = 0;
  EXPECT_TRUE(clock::configured_rate(CommandLine("log=debug"), &hz));
  EXPECT_EQ(hz, 100u);
}

TEST(Clock, RateFromTheCommandLine) {
  u32 hz = 0;
  EXPECT_TRUE(clock::configured_rate(CommandLine("tick_hz=250 log=info"), &hz));
  EXPECT_EQ(hz, 250u);
}

TEST(Clock, BadRatesFallBackToTheDefault) {
  for (const char* line : {"tick_hz=0", "tick_hz=9", "tick_hz=20001", "tick_hz=fast", "tick_hz="}) {
    u32 hz = 0;
    EXPECT_FALSE(clock::configured_rate(CommandLine(line), &hz)) << line;
    EXPECT_EQ(hz, 100u) << line;
  }
}

TEST(Clock, TicksAccumulate) {
  const u64 before = clock::ticks();
  clock::advance(3);
  clock::advance(0);
  EXPECT_EQ(clock::ticks(), before + 3);
}

}  // namespace
}  // namespace ck
