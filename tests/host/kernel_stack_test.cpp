// Host tests for the kernel stack's watch (kernel/arch/m68k/kernel_stack.h).
#include "arch/m68k/kernel_stack.h"

#include <gtest/gtest.h>

#include "big_endian_builder.h"

namespace ck::m68k {
namespace {

using test::BigEndianBuilder;

TEST(KernelStack, HighWaterCountsFromTheFirstOverwrittenWordUp) {
  u32 stack[16];
  for (u32& w : stack) w = kStackPattern;
  EXPECT_EQ(stack_high_water(stack, sizeof stack), 0u);
  stack[15] = 0;  // the top word
  EXPECT_EQ(stack_high_water(stack, sizeof stack), 4u);
  stack[9] = 1;  // deeper; words between that still hold the pattern count as used
  EXPECT_EQ(stack_high_water(stack, sizeof stack), 7u * 4);
  stack[0] = 2;
  EXPECT_EQ(stack_high_water(stack, sizeof stack), sizeof stack);
}

TEST(KernelStack, StackLimitCheckIsRecognized) {
  BigEndianBuilder code;
  code.u16(0xbffc).u32(0x00171694).u16(0x55fc);  // cmp.l #__kernel_stack_limit+404,%sp; trapcs
  const StackCheck check = decode_stack_check(code.data());
  EXPECT_TRUE(check.is_check);
  EXPECT_EQ(check.needed, 0x00171694u);
}

TEST(KernelStack, OtherTrapccIsNotAStackCheck) {
  BigEndianBuilder trapeq;
  trapeq.u16(0xbffc).u32(0x1000).u16(0x57fc);  // cmp.l #..,%sp; trapeq
  EXPECT_FALSE(decode_stack_check(trapeq.data()).is_check);
  BigEndianBuilder other_register;
  other_register.u16(0xb1fc).u32(0x1000).u16(0x55fc);  // cmpa.l #..,%a0; trapcs
  EXPECT_FALSE(decode_stack_check(other_register.data()).is_check);
}

}  // namespace
}  // namespace ck::m68k
