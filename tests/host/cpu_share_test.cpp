// Processor accounting arithmetic (cpu_share.h): the priority premium and discount, and
// the moving window a kernel's share is measured over.
#include "cpu_share.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

TEST(CpuShare, PriorityPremiumAndDiscount) {
  EXPECT_EQ(charged_ns(32000, 16), 32000u) << "priority 16 at par";
  EXPECT_EQ(charged_ns(32000, 0), 16000u) << "priority 0 at half price";
  EXPECT_EQ(charged_ns(32000, 31), 47000u) << "priority 31: 47/32";
  EXPECT_EQ(charged_ns(32000, 17), 33000u) << "1/32 per level";
  EXPECT_EQ(charged_ns(0, 31), 0u);
  EXPECT_EQ(charged_ns(1u << 30, 31), (1u << 30) / 32 * 47) << "no overflow in 32 bits";
  EXPECT_EQ(charged_ns(0xffffffffu, 16), 0x7fffffffu) << "capped at 2^31 ns";
  EXPECT_EQ(charged_ns(33, 0), 16u) << "33 * 16 / 32, rounded down";
  EXPECT_EQ(charged_ns(31, 31), 45u) << "below 32 ns the remainder is charged too: 31 * 47 / 32";
}

TEST(CpuShare, ShareIsChargedTimeOverTheWindow) {
  ShareClock clock;
  ShareWindow w;
  clock.start(1000);
  EXPECT_EQ(w.permille(clock, 1000), 0u) << "a window of no length";
  w.add(clock, 250);
  EXPECT_EQ(w.permille(clock, 2000), 250u);
  clock.advance(2000);
  w.advanced(clock);
  w.add(clock, 1000);
  EXPECT_EQ(w.permille(clock, 3000), 625u) << "(250 + 1000) over 2000 ns";
  EXPECT_EQ(clock.window_start(), 1000u);
}

TEST(CpuShare, OldBucketsAreForgotten) {
  ShareClock clock;
  ShareWindow w;
  clock.start(0);
  w.add(clock, 1000);  // the whole first bucket
  for (u32 i = 1; i < kShareBuckets; ++i) {
    clock.advance(i * 1000);
    w.advanced(clock);
  }
  EXPECT_EQ(clock.window_start(), 0u);
  EXPECT_EQ(w.permille(clock, kShareBuckets * 1000), 1000u / kShareBuckets);
  clock.advance(kShareBuckets * 1000);
  w.advanced(clock);
  EXPECT_EQ(clock.window_start(), 1000u) << "the first bucket left the window";
  EXPECT_EQ(w.permille(clock, (kShareBuckets + 1) * 1000), 0u) << "and its charge with it";
}

TEST(CpuShare, PremiumCanTakeAShareAboveTheWholeProcessor) {
  ShareClock clock;
  ShareWindow w;
  clock.start(0);
  w.add(clock, charged_ns(1000, 31));
  EXPECT_EQ(w.permille(clock, 1000), 1468u);
  w.clear();
  EXPECT_EQ(w.permille(clock, 1000), 0u);
}

}  // namespace
}  // namespace ck
