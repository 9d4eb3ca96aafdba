// A thread's save area: frame accessors and the sanitizing done before every return to
// user mode.
#include "arch/m68k/user_context.h"

#include <gtest/gtest.h>

namespace ck::m68k {
namespace {

TEST(UserContext, StartFrameIsAPlainUserFrame) {
  UserContext c{};
  c.set_start(0x00001234, 0x04);
  EXPECT_EQ(c.pc(), 0x00001234u);
  EXPECT_EQ(c.sr(), 0x0004);
  EXPECT_EQ(c.format(), 0);
  EXPECT_EQ(c.vector(), 0);
  c.set_pc(0x5678);
  EXPECT_EQ(c.pc(), 0x5678u);
}

TEST(UserContext, SanitizeKeepsOnlyTheConditionCodes) {
  UserContext c{};
  c.set_start(0x1000, 0);
  store_be16(c.frame, 0x2715);  // S set, mask 7, CCR 0x15
  c.sanitize();
  EXPECT_EQ(c.sr(), 0x0015);
  c.set_ccr(0xff);
  EXPECT_EQ(c.sr(), 0x001f);
}

TEST(UserContext, SanitizeKeepsReturnableFormatsOnly) {
  UserContext c{};
  c.set_start(0x1000, 0);
  store_be16(c.frame + 6, 0x7008);  // format $7, access error
  c.sanitize();
  EXPECT_EQ(c.format(), 7);
  EXPECT_EQ(c.vector(), 2);
  store_be16(c.frame + 6, 0xf008);  // no such format
  c.sanitize();
  EXPECT_EQ(c.format(), 0);
  EXPECT_EQ(c.pc(), 0x1000u);
}

}  // namespace
}  // namespace ck::m68k
