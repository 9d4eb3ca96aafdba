// Interrupt handling on the virt machine: the six goldfish PICs by CPU level, the RTC
// alarm as the periodic tick, console receive (paper §4; DESIGN.md §1).
#pragma once

#include "lib/types.h"

namespace ck::m68k {

// Handles everything pending at CPU interrupt `level` (1-7). Called with interrupts
// masked, from user entry or from a supervisor-mode interrupt.
void handle_interrupt(u32 level);

}  // namespace ck::m68k
