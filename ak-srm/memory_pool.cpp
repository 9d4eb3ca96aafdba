// The SRM's pool of page groups (memory_pool.h).
#include "memory_pool.h"

namespace srm {

void MemoryPool::init(uint32_t base, uint32_t end) {
  base_ = (base + kGroupBytes - 1) & ~(kGroupBytes - 1);
  const uint32_t groups = end > base_ ? (end - base_) / kGroupBytes : 0;
  count_ = groups < kMaxGroups ? groups : kMaxGroups;
}

bool MemoryPool::range_free(uint32_t first, uint32_t groups) const {
  if (first + groups > count_ || first + groups < first) return false;
  for (uint32_t g = first; g < first + groups; ++g)
    if (used_[g]) return false;
  return true;
}

bool MemoryPool::take(uint32_t groups, uint32_t* base) {
  for (uint32_t first = 0; groups != 0 && first + groups <= count_; ++first) {
    if (!range_free(first, groups)) continue;
    for (uint32_t g = first; g < first + groups; ++g) used_[g] = true;
    *base = base_ + first * kGroupBytes;
    return true;
  }
  return false;
}

bool MemoryPool::take_at(uint32_t base, uint32_t groups) {
  if (base < base_ || (base - base_) % kGroupBytes != 0) return false;
  const uint32_t first = (base - base_) / kGroupBytes;
  if (!range_free(first, groups)) return false;
  for (uint32_t g = first; g < first + groups; ++g) used_[g] = true;
  return true;
}

void MemoryPool::give_back(uint32_t base, uint32_t groups) {
  const uint32_t first = (base - base_) / kGroupBytes;
  for (uint32_t g = first; g < first + groups && g < count_; ++g) used_[g] = false;
}

uint32_t MemoryPool::free_groups() const {
  uint32_t n = 0;
  for (uint32_t g = 0; g < count_; ++g) n += used_[g] ? 0 : 1;
  return n;
}

}  // namespace srm
