// QEMU's virt system controller (hw/misc/virt_ctrl.c): power off, reset, panic.
// Measured on QEMU 7.2: halt exits with status 0; panic exits with status 1 under
// `-action panic=exit-failure` (the harness always passes it), 0 without it.
#pragma once

#include "arch/m68k/mmio.h"

namespace ck::m68k {

class VirtCtrl {
 public:
  void attach(PhysAddr base) { regs_ = MmioRegion(base); }

  [[noreturn]] void halt() const { command(kHalt); }
  [[noreturn]] void panic() const { command(kPanic); }
  [[noreturn]] void reset() const { command(kReset); }

 private:
  static constexpr u32 kCommandRegister = 0x04;
  enum Command : u32 { kReset = 1, kHalt = 2, kPanic = 3 };

  [[noreturn]] void command(Command c) const;

  MmioRegion regs_;
};

}  // namespace ck::m68k
