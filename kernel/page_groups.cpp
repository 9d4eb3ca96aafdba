// Page-group access rights (page_groups.h).
#include "page_groups.h"

#include <cstring>

namespace ck {

namespace {

constexpr u32 group_of(u32 address) { return address / kGroupBytes; }

}  // namespace

bool PageGroups::set(PhysAddr base, u32 size, Rights r) {
  const u64 end = static_cast<u64>(base.value()) + size;
  if (base.value() % kGroupBytes != 0 || size % kGroupBytes != 0 || end > (u64{1} << 32)) return false;
  const u32 first = group_of(base.value()), last = static_cast<u32>(end / kGroupBytes);
  if (r != Rights::None && first != last) {
    const u16 low = static_cast<u16>(first / 4), high = static_cast<u16>((last - 1) / 4 + 1);
    if (low_ == high_) {
      low_ = low;
      high_ = high;
    } else {
      low_ = low < low_ ? low : low_;
      high_ = high > high_ ? high : high_;
    }
  }
  for (u32 g = first; g < last; ++g) {
    u8& byte = bits_[g / 4];
    const u32 shift = 2 * (g % 4);
    byte = static_cast<u8>((byte & ~(3u << shift)) | static_cast<u32>(r) << shift);
  }
  return true;
}

void PageGroups::clear() {
  std::memset(bits_ + low_, 0, high_ - low_);
  low_ = high_ = 0;
}

u64 PageGroups::bytes_with(Rights wanted) const {
  u64 total = 0;
  for (u32 g = 0; g < kGroupCount; ++g) {
    const u32 r = (bits_[g / 4] >> (2 * (g % 4))) & 3;
    if ((r & static_cast<u32>(wanted)) == static_cast<u32>(wanted) && r != 0) total += kGroupBytes;
  }
  return total;
}

}  // namespace ck
