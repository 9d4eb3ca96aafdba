// Physical memory handed out once, at boot (DESIGN.md §3: fixed-size kernel structures,
// no allocation after boot): the page-table pool, later the descriptor caches. What is
// left is the memory application kernels get (the SRM's grant, paper §3, §4.3).
// Pure; host-tested (tests/host/boot_memory_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck {

class BootMemory {
 public:
  static constexpr usize kMaxRanges = 4;

  // The free memory is `ranges` minus everything below `reserved_end` (the image and
  // what the boot loader put after it).
  void init(const PhysRange* ranges, usize count, PhysAddr reserved_end);

  // `bytes` aligned to `align` (a power of two) from the lowest free memory, or an
  // empty range (size 0) when no range has room. Nothing is taken on failure.
  PhysRange take(u32 bytes, u32 align);

  u32 free_bytes() const;
  usize range_count() const { return count_; }
  PhysRange range(usize i) const { return free_[i]; }

 private:
  PhysRange free_[kMaxRanges];
  usize count_ = 0;
};

// The page-table pool for `ram_bytes` of memory: 1/32 of it (enough to map all of RAM
// many times over with sparse mappings), between 64 KiB and 4 MiB.
u32 page_table_pool_bytes(u32 ram_bytes);

}  // namespace ck
