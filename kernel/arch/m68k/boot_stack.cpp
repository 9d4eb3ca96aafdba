// The boot stack (see boot_stack.h).
#include "arch/m68k/boot_stack.h"

#include "arch/arch.h"
#include "arch/m68k/kernel_stack.h"

extern "C" {
extern ck::u32 __boot_stack_bottom[], __boot_stack_top[];  // linker/virt.ld
}

namespace ck::m68k {

namespace {

// Room left unfilled below the caller's frame: this function's own frame.
constexpr usize kFillMargin = 64;

}  // namespace

void fill_boot_stack() {
  usize sp = 0;
  asm volatile("move.l %%sp, %0" : "=r"(sp));
  volatile u32* word = __boot_stack_bottom;
  const auto* end = reinterpret_cast<volatile u32*>(sp - kFillMargin);
  while (word < end) *word++ = kStackPattern;
}

void write_stack_high_water(Sink& out) {
  const arch::StackUsage usage = arch::kernel_stack_usage();
  format(out, "kernel stack: high-water {} of {} bytes\n", usage.high_water, usage.size);
}

}  // namespace ck::m68k

namespace ck::arch {

StackUsage kernel_stack_usage() {
  const u32 size =
      static_cast<u32>(reinterpret_cast<usize>(__boot_stack_top) - reinterpret_cast<usize>(__boot_stack_bottom));
  return StackUsage{.high_water = m68k::stack_high_water(__boot_stack_bottom, size), .size = size};
}

}  // namespace ck::arch
