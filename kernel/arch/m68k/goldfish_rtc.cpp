// goldfish RTC driver (goldfish_rtc.h).
#include "arch/m68k/goldfish_rtc.h"

namespace ck::m68k {

u64 GoldfishRtc::now_ns() const {
  const u32 low = regs_.read(kTimeLow);
  const u32 high = regs_.read(kTimeHigh);
  return static_cast<u64>(high) << 32 | low;
}

void GoldfishRtc::set_alarm(u64 ns) const {
  regs_.write(kAlarmHigh, static_cast<u32>(ns >> 32));
  regs_.write(kAlarmLow, static_cast<u32>(ns));
}

}  // namespace ck::m68k
