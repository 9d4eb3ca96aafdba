// Host tests for kernel/lib/cmdline.h.
#include "lib/cmdline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ck {
namespace {

TEST(CommandLine, LooksUpValuesAndFlags) {
  const CommandLine line("log=debug  hz=250 quiet ktest.token=c0ffee");
  StrView value;
  ASSERT_TRUE(line.lookup("log", &value));
  EXPECT_TRUE(value == "debug");
  ASSERT_TRUE(line.lookup("ktest.token", &value));
  EXPECT_TRUE(value == "c0ffee");
  EXPECT_TRUE(line.has("quiet"));
  EXPECT_TRUE(line.has("hz"));
  EXPECT_FALSE(line.has("qui"));
  EXPECT_FALSE(line.lookup("missing", &value));
}

TEST(CommandLine, LaterOptionsOverrideEarlierOnes) {
  const CommandLine line("log=info log=trace");
  StrView value;
  ASSERT_TRUE(line.lookup("log", &value));
  EXPECT_TRUE(value == "trace");
}

TEST(CommandLine, VisitsInOrderWithEmptyValuesForFlags) {
  std::vector<std::string> seen;
  CommandLine(" a=1 b  c= ").for_each([&](StrView k, StrView v) {
    seen.push_back(std::string(k.data(), k.size()) + ":" + std::string(v.data(), v.size()));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a:1", "b:", "c:"}));
}

TEST(CommandLine, EmptyLineHasNothing) {
  int count = 0;
  CommandLine("").for_each([&](StrView, StrView) { ++count; });
  CommandLine("   ").for_each([&](StrView, StrView) { ++count; });
  EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace ck
