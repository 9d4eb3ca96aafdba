// Boot-time physical memory (boot_memory.h).
#include "boot_memory.h"

namespace ck {

void BootMemory::init(const PhysRange* ranges, usize count, PhysAddr reserved_end) {
  count_ = 0;
  for (usize i = 0; i < count && count_ < kMaxRanges; ++i) {
    PhysRange r = ranges[i];
    if (r.end() <= reserved_end) continue;
    if (r.base < reserved_end) {
      r.size -= reserved_end - r.base;
      r.base = reserved_end;
    }
    free_[count_++] = r;
  }
}

PhysRange BootMemory::take(u32 bytes, u32 align) {
  for (usize i = 0; i < count_; ++i) {
    PhysRange& r = free_[i];
    const u32 start = (r.base.value() + align - 1) & ~(align - 1);
    const u32 skip = start - r.base.value();
    if (start < r.base.value() || skip > r.size || r.size - skip < bytes) continue;
    r.base = PhysAddr(start + bytes);
    r.size -= skip + bytes;
    return PhysRange{PhysAddr(start), bytes};
  }
  return PhysRange{};
}

u32 BootMemory::free_bytes() const {
  u32 total = 0;
  for (usize i = 0; i < count_; ++i) total += free_[i].size;
  return total;
}

u32 page_table_pool_bytes(u32 ram_bytes) {
  constexpr u32 kMin = 64 * KiB, kMax = 4 * MiB;
  const u32 bytes = ram_bytes / 32;
  return bytes < kMin ? kMin : bytes > kMax ? kMax : bytes & ~(512u - 1);
}

}  // namespace ck
