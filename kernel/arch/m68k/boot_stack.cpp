// The boot stack (see boot_stack.h).
#include "arch/m68k/boot_stack.h"

#include "arch/arch.h"
#include "arch/m68k/kernel_stack.h"

extern "C" {
extern ck::u32 __boot_stack_bottom[], __boot_stack_top[];  // linker/virt.ld
extern ck::u32 __emergency_stack_bottom[], __emergency_stack_top[];
}

namespace ck::m68k {

namespace {

// Room left unfilled below the caller's frame: this function's own frame.
constexpr usize kFillMargin = 64;

void fill(volatile u32* word, const volatile u32* end) {
  while (word < end) *word++ = kStackPattern;
}

u32 bytes_between(const u32* bottom, const u32* top) {
  return static_cast<u32>(reinterpret_cast<usize>(top) - reinterpret_cast<usize>(bottom));
}

}  // namespace

void fill_boot_stack() {
  usize sp = 0;
  asm volatile("move.l %%sp, %0" : "=r"(sp));
  fill(__boot_stack_bottom, reinterpret_cast<volatile u32*>(sp - kFillMargin));
  fill(__emergency_stack_bottom, __emergency_stack_top);
}

void write_stack_high_water(Sink& out) {
  const arch::StackUsage usage = arch::kernel_stack_usage();
  format(out, "kernel stack: high-water {} of {} bytes\n", usage.high_water, usage.size);
}

void write_emergency_stack_high_water(Sink& out) {
  const u32 size = bytes_between(__emergency_stack_bottom, __emergency_stack_top);
  format(out, "emergency stack: high-water {} of {} bytes\n", stack_high_water(__emergency_stack_bottom, size), size);
}

}  // namespace ck::m68k

namespace ck::arch {

StackUsage kernel_stack_usage() {
  const u32 size = m68k::bytes_between(__boot_stack_bottom, __boot_stack_top);
  return StackUsage{.high_water = m68k::stack_high_water(__boot_stack_bottom, size), .size = size};
}

}  // namespace ck::arch
