// Page-group access rights (page_groups.h).
#include "page_groups.h"

#include <cstring>

namespace ck {

namespace {

constexpr u32 group_of(u32 address) { return address / kGroupBytes; }

}  // namespace

Rights PageGroups::rights(PhysAddr address) const {
  const u32 g = group_of(address.value());
  return static_cast<Rights>((bits_[g / 4] >> (2 * (g % 4))) & 3);
}

bool PageGroups::allows(PhysAddr page, bool writable) const {
  const Rights r = rights(page);
  return writable ? r == Rights::ReadWrite : r != Rights::None;
}

bool PageGroups::set(PhysAddr base, u32 size, Rights r) {
  const u64 end = static_cast<u64>(base.value()) + size;
  if (base.value() % kGroupBytes != 0 || size % kGroupBytes != 0 || end > (u64{1} << 32)) return false;
  for (u32 g = group_of(base.value()); g < end / kGroupBytes; ++g) {
    u8& byte = bits_[g / 4];
    const u32 shift = 2 * (g % 4);
    byte = static_cast<u8>((byte & ~(3u << shift)) | static_cast<u32>(r) << shift);
  }
  return true;
}

void PageGroups::clear() { std::memset(bits_, 0, sizeof bits_); }

u64 PageGroups::bytes_with(Rights wanted) const {
  u64 total = 0;
  for (u32 g = 0; g < kGroupCount; ++g) {
    const u32 r = (bits_[g / 4] >> (2 * (g % 4))) & 3;
    if ((r & static_cast<u32>(wanted)) == static_cast<u32>(wanted) && r != 0) total += kGroupBytes;
  }
  return total;
}

}  // namespace ck
