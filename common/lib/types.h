// Basic kernel types: explicit physical and virtual addresses, sizes.
// Portable; shared by every part of the Cache Kernel and by the host unit tests.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>

namespace ck {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using i32 = std::int32_t;
using i64 = std::int64_t;
using usize = std::size_t;

// A 32-bit address in one address space. The tag keeps physical and virtual apart:
// mixing them up is a compile error, not a silent bug.
template <typename Tag>
class Address {
 public:
  constexpr Address() = default;
  constexpr explicit Address(u32 value) : value_(value) {}

  constexpr u32 value() const { return value_; }
  constexpr Address operator+(u32 offset) const { return Address(value_ + offset); }
  constexpr u32 operator-(Address other) const { return value_ - other.value_; }
  constexpr auto operator<=>(const Address&) const = default;

 private:
  u32 value_ = 0;
};

struct PhysTag;
struct VirtTag;
using PhysAddr = Address<PhysTag>;
using VirtAddr = Address<VirtTag>;

constexpr u32 KiB = 1024;
constexpr u32 MiB = 1024 * KiB;

// A range of physical memory.
struct PhysRange {
  PhysAddr base;
  u32 size = 0;

  constexpr PhysAddr end() const { return base + size; }
};

}  // namespace ck
