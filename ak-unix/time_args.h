// Time arguments of system calls (sleeps, futex waits): timespecs read from a process,
// the calendar, and deadlines on the emulator's uptime clock (issue 18 items 2 and 4).
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// The calendar (CLOCK_REALTIME): the machine's real-time clock when the Cache Kernel's
// clock started, plus that clock.
uint64_t realtime_ns();

// A timespec at `va` (32-bit seconds, or 64-bit with `wide`) in nanoseconds: 0, -EFAULT,
// or -EINVAL for negative seconds or nanoseconds out of [0, 1e9).
int32_t timespec_in(Process& p, uint32_t va, bool wide, uint64_t* ns);

// A deadline on the uptime clock: now + ns, or for an absolute time (`absolute`) ns
// itself, moved by the boot time for CLOCK_REALTIME; 0 when it has passed already.
uint64_t sleep_deadline(bool realtime, bool absolute, uint64_t ns);

}  // namespace unixemu
