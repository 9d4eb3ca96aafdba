// Console driver for the goldfish TTY (QEMU hw/char/goldfish_tty.c), polled.
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

 private:
  MmioRegion regs_;
};

}  // namespace ck::m68k
