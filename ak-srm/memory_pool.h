// The SRM's memory pool (paper §3, §4.3): the page groups (512 KiB) it grants to the
// kernels it starts, whole groups at a time, contiguous for each kernel.
#pragma once

#include <stdint.h>

namespace srm {

inline constexpr uint32_t kGroupBytes = 512 * 1024;

class MemoryPool {
 public:
  static constexpr uint32_t kMaxGroups = 128;  // 64 MiB
  // The whole groups inside [base, end).
  void init(uint32_t base, uint32_t end);
  // The lowest `groups` free contiguous groups; false when there are none.
  bool take(uint32_t groups, uint32_t* base);
  // Exactly these groups, if they are free (a kernel swapped back in).
  bool take_at(uint32_t base, uint32_t groups);
  void give_back(uint32_t base, uint32_t groups);
  uint32_t free_groups() const;
  uint32_t base() const { return base_; }
  uint32_t end() const { return base_ + count_ * kGroupBytes; }

 private:
  bool range_free(uint32_t first, uint32_t groups) const;
  uint32_t base_ = 0, count_ = 0;
  bool used_[kMaxGroups] = {};
};

}  // namespace srm
