// The kernel's notion of time: the periodic tick (rate from the command line,
// `tick_hz=N`, default 100) counted as the machine layer reports it.
#pragma once

#include "lib/cmdline.h"
#include "lib/types.h"

namespace ck::clock {

inline constexpr u32 kDefaultTickHz = 100;
inline constexpr u32 kMinTickHz = 10;
inline constexpr u32 kMaxTickHz = 20000;

// The rate `tick_hz=` asks for, or the default when absent; false (and the default)
// when the value is not a number in [kMinTickHz, kMaxTickHz].
bool configured_rate(const CommandLine& line, u32* hz);

u32 rate_hz();
void start(u32 hz);
u64 ticks();
void advance(u32 ticks);

}  // namespace ck::clock
