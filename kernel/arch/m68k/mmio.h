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
  u32 read(u32 offset) const { return *reinterpret_cast<volatile u32*>(base_ + offset); }
  void write(u32 offset, u32 value) const { *reinterpret_cast<volatile u32*>(base_ + offset) = value; }

 private:
  u32 base_ = 0;
};

}  // namespace ck::m68k
