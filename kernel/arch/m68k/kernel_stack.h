// The kernel stack's watch (MC68040 UM §9 TRAPcc; DESIGN.md §3): how deep the boot
// stack has been used (it is filled with a pattern at boot and the pattern's survivors
// counted), and how a supervisor TRAPcc is told apart as one of the stack-limit checks
// GCC puts in every kernel function's prologue (-fstack-limit-symbol:
// `cmp.l #__kernel_stack_limit+frame, %sp; trapcs`). Pure code, host-tested
// (tests/host/kernel_stack_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck::m68k {

// What the unused part of the boot stack holds (arch_boot fills it before the stack
// grows).
inline constexpr u32 kStackPattern = 0x57ac57ac;

// Bytes of the stack [bottom, bottom + size) in use at its deepest: from the first word
// (from the bottom) that no longer holds the pattern up to the top. `words` is the
// stack's content as the CPU sees it (native order).
u32 stack_high_water(const u32* words, u32 size_bytes);

// The stack-limit check whose TRAPCS is at `trap`, from the 8 bytes at `check`
// (= trap - 6): the CMPA.L #limit,SP (0xbffc, then the immediate) and the TRAPCS
// (0x55fc). Bytes in memory order (big-endian).
struct StackCheck {
  bool is_check = false;  // the two instructions are a stack-limit check
  u32 needed = 0;         // the immediate: SP had to be at least this
};
StackCheck decode_stack_check(const u8* check);

}  // namespace ck::m68k
