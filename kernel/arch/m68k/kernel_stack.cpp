// The kernel stack's watch (see kernel_stack.h).
#include "arch/m68k/kernel_stack.h"

#include "lib/endian.h"

namespace ck::m68k {

namespace {

constexpr u16 kCmpaLongImmediateSp = 0xbffc;  // CMPA.L #<data>,A7
constexpr u16 kTrapcs = 0x55fc;               // TRAPCS, no operand

}  // namespace

u32 stack_high_water(const u32* words, u32 size_bytes) {
  const u32 count = size_bytes / 4;
  u32 untouched = 0;
  while (untouched < count && words[untouched] == kStackPattern) ++untouched;
  return size_bytes - untouched * 4;
}

StackCheck decode_stack_check(const u8* check) {
  if (load_be16(check) != kCmpaLongImmediateSp || load_be16(check + 6) != kTrapcs) return StackCheck{};
  return StackCheck{.is_check = true, .needed = load_be32(check + 2)};
}

}  // namespace ck::m68k
