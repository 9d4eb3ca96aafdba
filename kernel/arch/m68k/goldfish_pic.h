// Driver for one goldfish programmable interrupt controller (QEMU hw/intc/goldfish_pic.c):
// 32 level-sensitive lines, one output to a CPU interrupt level. The virt machine has
// six, PIC n driving level n; bootinfo numbers their lines 8 + (n - 1) * 32 + line.
#pragma once

#include "arch/m68k/mmio.h"

namespace ck::m68k {

inline constexpr u32 kPicCount = 6;
inline constexpr u32 kPicStride = 0x1000;
inline constexpr u32 kFirstIrq = 8;

// Where bootinfo's interrupt number `irq` enters: PIC index (0-5) and line bit (0-31).
struct IrqLine {
  u32 pic = 0;
  u32 bit = 0;
  bool valid = false;
};

constexpr IrqLine irq_line(u32 irq) {
  if (irq < kFirstIrq || irq >= kFirstIrq + kPicCount * 32) return IrqLine{};
  return IrqLine{.pic = (irq - kFirstIrq) / 32, .bit = (irq - kFirstIrq) % 32, .valid = true};
}

constexpr u32 irq_number(u32 pic, u32 bit) { return kFirstIrq + pic * 32 + bit; }

class GoldfishPic {
 public:
  void attach(PhysAddr base) { regs_ = MmioRegion(base); }
  bool attached() const { return regs_.present(); }

  // Lines both raised and enabled.
  u32 pending() const { return regs_.read(kPending); }
  void enable(u32 bits) const { regs_.write(kEnable, bits); }
  void disable(u32 bits) const { regs_.write(kDisable, bits); }
  void disable_all() const { regs_.write(kDisableAll, 0); }

 private:
  enum Register : u32 { kStatus = 0x00, kPending = 0x04, kDisableAll = 0x08, kDisable = 0x0c, kEnable = 0x10 };

  MmioRegion regs_;
};

}  // namespace ck::m68k
