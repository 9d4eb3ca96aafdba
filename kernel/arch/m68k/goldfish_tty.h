// Console driver for the goldfish TTY (QEMU hw/char/goldfish_tty.c): output one
// character at a time (usable from any context, including fatal paths); input polled
// or, once interrupts run, taken in bulk from the receive interrupt.
#pragma once

#include "arch/m68k/mmio.h"
#include "lib/format.h"

namespace ck::m68k {

class GoldfishTty final : public Sink {
 public:
  void attach(PhysAddr base) { regs_ = MmioRegion(base); }
  bool attached() const { return regs_.present(); }

  // Writes one character; "\n" becomes "\r\n" for terminals in raw mode.
  void put(char c) override;
  // The next received character, or -1.
  int poll();
  // Moves up to `max` received characters into `out` (DMA); returns how many.
  u32 read_available(u8* out, u32 max);
  // The device raises its interrupt while received characters wait.
  void enable_interrupt() const;

 private:
  static constexpr u32 kDmaBytes = 64;

  MmioRegion regs_;
  // The device's DMA target: whole cache lines of its own, which the CPU touches only
  // after the transfer.
  alignas(16) u8 dma_[kDmaBytes] = {};
};

// The machine's console (platform.cpp).
GoldfishTty& console_device();

}  // namespace ck::m68k
