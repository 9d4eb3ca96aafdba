// The runtime's memcpy and memset (lib/memory_ops.h): every source and destination
// alignment, every length across the 32-byte rounds, the 4-byte tail and the byte tail;
// nothing outside the region touched.
#include "lib/memory_ops.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

constexpr usize kMaxLength = 100;  // three rounds, a longword tail and a byte tail
constexpr usize kGuard = 8;
constexpr u8 kUntouched = 0xa5;

struct Buffer {
  alignas(8) u8 bytes[kGuard + 8 + kMaxLength + kGuard];
};

TEST(MemoryOps, CopyEveryAlignmentAndLength) {
  for (usize from = 0; from < 8; ++from) {
    for (usize to = 0; to < 8; ++to) {
      for (usize n = 0; n <= kMaxLength; ++n) {
        Buffer src, dest;
        for (usize i = 0; i < sizeof src.bytes; ++i) src.bytes[i] = static_cast<u8>(i * 7 + 1);
        for (u8& b : dest.bytes) b = kUntouched;
        copy_memory(dest.bytes + kGuard + to, src.bytes + kGuard + from, n);
        for (usize i = 0; i < sizeof dest.bytes; ++i) {
          const bool inside = i >= kGuard + to && i < kGuard + to + n;
          const u8 expected = inside ? src.bytes[i - to + from] : kUntouched;
          ASSERT_EQ(dest.bytes[i], expected) << "from +" << from << " to +" << to << " length " << n << " byte " << i;
        }
      }
    }
  }
}

TEST(MemoryOps, FillEveryAlignmentAndLength) {
  for (usize at = 0; at < 8; ++at) {
    for (usize n = 0; n <= kMaxLength; ++n) {
      for (const u8 value : {u8{0}, u8{0x5c}, u8{0xff}}) {
        Buffer dest;
        for (u8& b : dest.bytes) b = kUntouched;
        fill_memory(dest.bytes + kGuard + at, value, n);
        for (usize i = 0; i < sizeof dest.bytes; ++i) {
          const bool inside = i >= kGuard + at && i < kGuard + at + n;
          ASSERT_EQ(dest.bytes[i], inside ? value : kUntouched) << "at +" << at << " length " << n << " byte " << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ck
