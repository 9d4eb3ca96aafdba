// The kernel's notion of time: the periodic tick (rate from the command line,
// `tick_hz=N`, default 100) counted as the machine layer reports it, and the two
// scheduling periods measured in ticks (paper §4.3): the time slice (`slice=N`) and the
// moving window over which CPU shares are measured (`cpu_window=N`).
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

inline constexpr u32 kDefaultSliceTicks = 1;
inline constexpr u32 kMaxSliceTicks = 1000;
inline constexpr u32 kDefaultWindowTicks = 100;
inline constexpr u32 kMinWindowTicks = 8;  // one tick per bucket of the window (cpu_share.h)
inline constexpr u32 kMaxWindowTicks = 100000;

// `key=N` from the command line when present, else `fallback`; false (and `fallback`)
// when the value is not a number in [min, max].
bool configured_count(const CommandLine& line, StrView key, u32 min, u32 max, u32 fallback, u32* value);

u32 rate_hz();
void start(u32 hz);
u64 ticks();
void advance(u32 ticks);

u32 slice_ticks();
u32 window_ticks();
void set_periods(u32 slice_ticks, u32 window_ticks);

}  // namespace ck::clock
