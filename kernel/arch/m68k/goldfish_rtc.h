// Driver for the goldfish RTC (QEMU hw/rtc/goldfish_rtc.c): a 64-bit nanosecond clock
// and one alarm, used as the periodic tick. Under `-icount shift=0,sleep=off -rtc
// clock=vm` the clock advances one nanosecond per executed instruction.
#pragma once

#include "arch/m68k/mmio.h"

namespace ck::m68k {

class GoldfishRtc {
 public:
  void attach(PhysAddr base) { regs_ = MmioRegion(base); }
  bool attached() const { return regs_.present(); }

  u64 now_ns() const;
  // The low 32 bits alone: one register read (for intervals shorter than 4.29 s).
  u32 now_low_ns() const { return regs_.read(kTimeLow); }
  // Where now_low_ns() reads (entry.S answers CK_QUERY_TIME itself).
  u32 time_low_register() const { return regs_.address(kTimeLow); }
  // Raises the interrupt at `ns` (at once if that has passed).
  void set_alarm(u64 ns) const;
  void enable_interrupt() const { regs_.write(kIrqEnabled, 1); }
  void clear_interrupt() const { regs_.write(kClearInterrupt, 1); }

 private:
  enum Register : u32 {
    kTimeLow = 0x00,  // reading it latches the high half
    kTimeHigh = 0x04,
    kAlarmLow = 0x08,  // writing it arms the alarm
    kAlarmHigh = 0x0c,
    kIrqEnabled = 0x10,
    kClearAlarm = 0x14,
    kAlarmStatus = 0x18,
    kClearInterrupt = 0x1c,
  };

  MmioRegion regs_;
};

}  // namespace ck::m68k
