// The tick clock (clock.h).
#include "clock.h"

#include "lib/str.h"

namespace ck::clock {

namespace {
u32 g_rate_hz = kDefaultTickHz;
u64 g_ticks = 0;
}  // namespace

bool configured_rate(const CommandLine& line, u32* hz) {
  *hz = kDefaultTickHz;
  StrView value;
  if (!line.lookup("tick_hz", &value)) return true;
  u32 parsed = 0;
  if (!parse_u32(value, &parsed) || parsed < kMinTickHz || parsed > kMaxTickHz) return false;
  *hz = parsed;
  return true;
}

u32 rate_hz() { return g_rate_hz; }
void start(u32 hz) { g_rate_hz = hz; }
u64 ticks() { return g_ticks; }
void advance(u32 n) { g_ticks += n; }

}  // namespace ck::clock
