// Big-endian loads and stores on byte buffers: the 68040 is big-endian, the host test machine
// is not, and boot records and exception frames are parsed on both.
#pragma once

#include "lib/types.h"

namespace ck {

constexpr u16 load_be16(const u8* p) { return static_cast<u16>((p[0] << 8) | p[1]); }

constexpr u32 load_be32(const u8* p) {
  return (static_cast<u32>(p[0]) << 24) | (static_cast<u32>(p[1]) << 16) | (static_cast<u32>(p[2]) << 8) | p[3];
}

constexpr void store_be16(u8* p, u16 v) {
  p[0] = static_cast<u8>(v >> 8);
  p[1] = static_cast<u8>(v);
}

constexpr void store_be32(u8* p, u32 v) {
  store_be16(p, static_cast<u16>(v >> 16));
  store_be16(p + 2, static_cast<u16>(v));
}

}  // namespace ck
