// Host tests for kernel/log.h.
#include "log.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    klog::set_sink(&sink_);
    klog::set_level(LogLevel::Info);
  }
  void TearDown() override { klog::set_sink(nullptr); }

  std::string text() const { return std::string(sink_.view().data(), sink_.view().size()); }

  char buffer_[512];
  BufferSink sink_{buffer_, sizeof buffer_};
};

TEST_F(LogTest, WritesLevelPrefixAndNewline) {
  klog::info("RAM {} KiB", 65536);
  EXPECT_EQ(text(), "[ info] RAM 65536 KiB\n");
}

TEST_F(LogTest, RuntimeLevelFilters) {
  klog::set_level(LogLevel::Warn);
  klog::info("hidden");
  klog::debug("hidden");
  klog::warn("shown {}", 1);
  klog::error("shown {}", 2);
  EXPECT_EQ(text(), "[ warn] shown 1\n[error] shown 2\n");
}

TEST_F(LogTest, TraceIsShownWhenEnabled) {
  klog::set_level(LogLevel::Trace);
  klog::trace("deep");
  EXPECT_EQ(text(), "[trace] deep\n");
}

TEST_F(LogTest, NoSinkMeansNoOutputAndNoCrash) {
  klog::set_sink(nullptr);
  klog::error("nowhere");
  EXPECT_EQ(text(), "");
}

TEST(LogLevels, ParseAcceptsExactlyTheNames) {
  LogLevel level = LogLevel::Info;
  EXPECT_TRUE(klog::parse_level("trace", &level));
  EXPECT_EQ(level, LogLevel::Trace);
  EXPECT_TRUE(klog::parse_level("error", &level));
  EXPECT_EQ(level, LogLevel::Error);
  EXPECT_FALSE(klog::parse_level("verbose", &level));
  EXPECT_FALSE(klog::parse_level("", &level));
  EXPECT_FALSE(klog::parse_level("Info", &level));
  EXPECT_EQ(level, LogLevel::Error);
}

TEST(LogLevels, NamesRoundTrip) {
  for (u8 i = 0; i <= static_cast<u8>(LogLevel::Trace); ++i) {
    LogLevel parsed;
    ASSERT_TRUE(klog::parse_level(klog::level_name(static_cast<LogLevel>(i)), &parsed));
    EXPECT_EQ(static_cast<u8>(parsed), i);
  }
}

}  // namespace
}  // namespace ck
