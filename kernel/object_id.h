// Identifiers of cached objects (paper §2; DESIGN.md §3): 32 bits naming an object
// type, a descriptor slot and that slot's generation. Every load gets a new identifier;
// after an unload the old one is stale and is refused, never taken for the slot's next
// occupant. Pure; host-tested (tests/host/object_id_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck {

enum class ObjectType : u8 { Kernel = 0, AddressSpace = 1, Thread = 2 };

// Bit layout: [31:30] type, [29:slot_bits] generation, [slot_bits-1:0] slot. Generation
// 0 is never issued, so 0 is never a valid identifier.
class ObjectId {
 public:
  constexpr ObjectId() = default;
  constexpr explicit ObjectId(u32 raw) : raw_(raw) {}

  static constexpr ObjectId make(ObjectType type, u32 slot_bits, u32 slot, u32 generation) {
    return ObjectId(static_cast<u32>(type) << kTypeShift | generation << slot_bits | slot);
  }

  constexpr u32 raw() const { return raw_; }
  constexpr ObjectType type() const { return static_cast<ObjectType>(raw_ >> kTypeShift); }
  constexpr u32 slot(u32 slot_bits) const { return raw_ & ((1u << slot_bits) - 1); }
  constexpr u32 generation(u32 slot_bits) const { return (raw_ & kPayloadMask) >> slot_bits; }
  constexpr bool operator==(const ObjectId&) const = default;

  static constexpr u32 kTypeShift = 30;
  static constexpr u32 kPayloadMask = (1u << kTypeShift) - 1;

 private:
  u32 raw_ = 0;
};

// The number of bits that index `capacity` slots.
constexpr u32 slot_bits_for(u32 capacity) {
  u32 bits = 0;
  while ((1u << bits) < capacity) ++bits;
  return bits;
}

}  // namespace ck
