// Big-endian loads from byte buffers: the 68040 is big-endian, the host test machine
// is not, and boot records and exception frames are parsed on both.
#pragma once

#include "lib/types.h"

namespace ck {

constexpr u16 load_be16(const u8* p) { return static_cast<u16>((p[0] << 8) | p[1]); }

constexpr u32 load_be32(const u8* p) {
  return (static_cast<u32>(p[0]) << 24) | (static_cast<u32>(p[1]) << 16) | (static_cast<u32>(p[2]) << 8) | p[3];
}

}  // namespace ck
