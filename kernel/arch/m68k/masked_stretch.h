// How long the Cache Kernel keeps interrupts masked (issue 15; paper §2.3, §5.3: the
// kernel's operations are short and bounded, so it can run them with interrupts off).
// Every entry into the kernel (a call on the fast path, a trap, fault or interrupt from
// user mode, an interrupt that ends the idle STOP) begins a stretch and every return to
// user mode or to the idle STOP ends it; the clock (arch::clock_ns(), one instruction a
// nanosecond under QEMU's -icount shift=0) times it and the longest is kept with what
// began it. Built into an image only with ck_add_image(... MEASURE_MASKED ...)
// (masked_stretch.cpp); every other image links masked_stretch_off.cpp, whose empty
// functions link-time optimization removes.
#pragma once

#include "arch/arch.h"

namespace ck::arch::masked {

// A stretch begins (no-op when one is already running: the first entry names it);
// `what` is a call's operation or one of arch::MaskedStretches' codes.
void begin(u32 what);
// A call on the fast path begins one, named by its operation (and CK_QUERY's query).
void begin_call(u32 op, u32 first_argument);
// Interrupts are enabled again: the stretch ends and is measured.
void end();
// The clock for stretches (interrupts.cpp): the RTC's low word, one read out of line.
// Two reads inlined into the hooks made QEMU 7.2 abort (tcg_temp_free_internal) when
// under -icount it retranslated the block to end at the second read (cpu_io_recompile).
u32 stamp();

}  // namespace ck::arch::masked
