// Big-endian loads and stores on byte buffers: the 68040 is big-endian, the host test machine
// is not, and boot records and exception frames are parsed on both.
//
// On a big-endian machine a load or store is one access (the 68040 allows misaligned
// words and longwords, and GCC knows it): exception frames are read on every entry.
#pragma once

#include <bit>

#include "lib/types.h"

namespace ck {

namespace endian_detail {
inline constexpr bool kNative = std::endian::native == std::endian::big;
}

constexpr u16 load_be16(const u8* p) {
  if (endian_detail::kNative && !__builtin_is_constant_evaluated()) {
    u16 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
  }
  return static_cast<u16>((p[0] << 8) | p[1]);
}

constexpr u32 load_be32(const u8* p) {
  if (endian_detail::kNative && !__builtin_is_constant_evaluated()) {
    u32 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
  }
  return (static_cast<u32>(p[0]) << 24) | (static_cast<u32>(p[1]) << 16) | (static_cast<u32>(p[2]) << 8) | p[3];
}

constexpr void store_be16(u8* p, u16 v) {
  if (endian_detail::kNative && !__builtin_is_constant_evaluated()) {
    __builtin_memcpy(p, &v, sizeof v);
    return;
  }
  p[0] = static_cast<u8>(v >> 8);
  p[1] = static_cast<u8>(v);
}

constexpr void store_be32(u8* p, u32 v) {
  if (endian_detail::kNative && !__builtin_is_constant_evaluated()) {
    __builtin_memcpy(p, &v, sizeof v);
    return;
  }
  store_be16(p, static_cast<u16>(v >> 16));
  store_be16(p + 2, static_cast<u16>(v));
}

}  // namespace ck
