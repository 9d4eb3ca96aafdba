// Memory access rights of a kernel object (paper §4.3): two bits per page group of 128
// pages (512 KiB) over the 4 GiB physical space, 2 KiB per kernel. Every mapping load
// is checked against the loading kernel's rights; only the SRM changes them.
// Pure; host-tested (tests/host/page_groups_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck {

enum class Rights : u8 { None = 0, Read = 1, ReadWrite = 3 };

inline constexpr u32 kPagesPerGroup = 128;
inline constexpr u32 kGroupBytes = kPagesPerGroup * 4096;
inline constexpr u32 kGroupCount = 8192;  // 4 GiB / 512 KiB

class PageGroups {
 public:
  // (Inline: every mapping load asks twice.)
  Rights rights(PhysAddr address) const {
    const u32 g = address.value() / kGroupBytes;
    return static_cast<Rights>((bits_[g / 4] >> (2 * (g % 4))) & 3);
  }
  // May a page at `page` be mapped, writable or not?
  bool allows(PhysAddr page, bool writable) const {
    const Rights r = rights(page);
    return writable ? r == Rights::ReadWrite : r != Rights::None;
  }
  // Sets the rights of every group in [base, base + size); false (nothing changed) when
  // the range is not group-aligned or wraps past 4 GiB.
  bool set(PhysAddr base, u32 size, Rights rights);
  // No rights anywhere: only the bytes rights were ever set in are cleared (a kernel
  // load clears its slot's rights; most grants are a few groups).
  void clear();
  // Bytes in groups with at least `rights`.
  u64 bytes_with(Rights rights) const;

 private:
  friend struct FastPathLayout;    // CK_LOAD_MAPPING's entry path reads them (calls.cpp)
  u8 bits_[kGroupCount / 4] = {};  // 2 bits per group, group 0 in the low bits of byte 0
  // Every byte of bits_ outside [low_, high_) is 0.
  u16 low_ = 0;
  u16 high_ = 0;
};

}  // namespace ck
