// The tick clock (clock.h).
#include "clock.h"

#include "lib/str.h"

namespace ck::clock {

namespace {
u32 g_rate_hz = kDefaultTickHz;
u64 g_ticks = 0;
u32 g_slice_ticks = kDefaultSliceTicks;
u32 g_window_ticks = kDefaultWindowTicks;
}  // namespace

bool configured_count(const CommandLine& line, StrView key, u32 min, u32 max, u32 fallback, u32* value) {
  *value = fallback;
  StrView text;
  if (!line.lookup(key, &text)) return true;
  u32 parsed = 0;
  if (!parse_u32(text, &parsed) || parsed < min || parsed > max) return false;
  *value = parsed;
  return true;
}

bool configured_rate(const CommandLine& line, u32* hz) {
  return configured_count(line, "tick_hz", kMinTickHz, kMaxTickHz, kDefaultTickHz, hz);
}

u32 rate_hz() { return g_rate_hz; }
void start(u32 hz) { g_rate_hz = hz; }
u64 ticks() { return g_ticks; }
void advance(u32 n) { g_ticks += n; }

u32 slice_ticks() { return g_slice_ticks; }
u32 window_ticks() { return g_window_ticks; }
void set_periods(u32 slice, u32 window) {
  g_slice_ticks = slice;
  g_window_ticks = window;
}

}  // namespace ck::clock
