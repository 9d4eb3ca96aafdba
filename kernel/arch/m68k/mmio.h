// Memory-mapped device registers on QEMU's virt machine: 32-bit, big-endian (native),
// uncached (caches are off until the MMU issue turns them on with I/O cache-inhibited).
#pragma once

#include "lib/types.h"

namespace ck::m68k {

class MmioRegion {
 public:
  constexpr MmioRegion() = default;
  constexpr explicit MmioRegion(PhysAddr base) : base_(base.value()) {}

  bool present() const { return base_ != 0; }
  // One plain `move.l (An), Dn` per register read. The fuzz suite (issue 15), which reads
  // the RTC on every kernel entry, saw QEMU 7.2 under -icount abort in its m68k
  // translator (tcg_temp_free_internal) when it retranslated a block to end at an I/O
  // access (cpu_io_recompile), first at a compiler-chosen `movea.l (a0)+, a1`; plain
  // reads did not cure that alone (see masked_stretch.h), but keep reads predictable.
  u32 read(u32 offset) const {
    u32 value;
    asm volatile("move.l (%1), %0" : "=d"(value) : "a"(base_ + offset) : "memory");
    return value;
  }
  void write(u32 offset, u32 value) const { *reinterpret_cast<volatile u32*>(base_ + offset) = value; }
  // Where a register is, for assembly that reads it itself (entry.S).
  u32 address(u32 offset) const { return base_ + offset; }

 private:
  u32 base_ = 0;
};

}  // namespace ck::m68k
