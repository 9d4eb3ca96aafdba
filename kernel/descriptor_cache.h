// A fixed array of descriptors managed like the lines of a hardware cache (paper §2,
// §4.2, Table 1): slots are filled on load and freed on unload; when none is free, a
// clock sweep picks an unlocked victim to reclaim. Slot generations make identifiers
// (object_id.h) unique over time. No allocation: the array is sized at build time.
// Pure; host-tested (tests/host/descriptor_cache_test.cpp).
#pragma once

#include "assert.h"
#include "object_id.h"

namespace ck {

enum class LookupError : u8 {
  None,
  Invalid,  // not an identifier of this cache's type, or a slot out of range
  Stale,    // the object it named has been unloaded
};

template <typename T, u32 Capacity, ObjectType Type>
class DescriptorCache {
 public:
  static constexpr u32 kCapacity = Capacity;
  static constexpr u32 kSlotBits = slot_bits_for(Capacity);
  static constexpr u32 kMaxGeneration = ObjectId::kPayloadMask >> kSlotBits;
  static constexpr u32 kNone = 0xffffffff;
  static_assert(Capacity > 0 && kMaxGeneration >= 0xffff, "too many slots for 30 bits of identifier");

  // Every slot free, generations kept: identifiers issued before stay stale. The
  // descriptors themselves are left for the next load to initialize.
  void reset() {
    for (u32 slot = 0; slot < Capacity; ++slot)
      if (meta_[slot].loaded) release(slot);
    free_hint_ = hand_ = 0;
  }

  // Whether allocate() would find a slot.
  bool has_free() const { return loaded_ + retired_ < Capacity; }

  // A free slot, or kNone. The slot is marked loaded with a fresh generation.
  u32 allocate() {
    for (u32 n = 0; n < Capacity; ++n) {
      const u32 slot = (free_hint_ + n) % Capacity;
      Meta& m = meta_[slot];
      if (m.loaded || m.retired) continue;
      free_hint_ = (slot + 1) % Capacity;
      m.loaded = true;
      m.referenced = true;
      m.locked = false;
      loaded_ += 1;
      return slot;
    }
    return kNone;
  }

  // Frees `slot`; its identifier becomes stale. A slot whose generations are used up
  // is retired rather than let an old identifier come back to life.
  void release(u32 slot) {
    Meta& m = meta_[slot];
    m.loaded = false;
    m.locked = false;
    loaded_ -= 1;
    if (m.generation == kMaxGeneration) {
      m.retired = true;
      retired_ += 1;
    } else {
      m.generation += 1;
    }
  }

  // The clock hand's next loaded slot that `eligible(slot)` accepts, giving each
  // recently used one a second chance, and then `fits(slot)` (asked only of the slot the
  // clock would take: it may be costly); kNone when no slot qualifies.
  template <typename Eligible, typename Fits>
  u32 choose_victim(Eligible&& eligible, Fits&& fits) {
    for (u32 n = 0; n < 2 * Capacity; ++n) {
      const u32 slot = hand_;
      hand_ = (hand_ + 1) % Capacity;
      Meta& m = meta_[slot];
      if (!m.loaded || !eligible(slot)) continue;
      if (m.referenced) {
        m.referenced = false;
        continue;
      }
      if (fits(slot)) return slot;
    }
    return kNone;
  }
  template <typename Eligible>
  u32 choose_victim(Eligible&& eligible) {
    return choose_victim(eligible, [](u32) { return true; });
  }

  ObjectId id_of(u32 slot) const { return ObjectId::make(Type, kSlotBits, slot, meta_[slot].generation); }

  // The slot `id` names, or an error saying why it names none.
  LookupError find(ObjectId id, u32* slot) const {
    if (id.type() != Type) return LookupError::Invalid;
    const u32 s = id.slot(kSlotBits);
    if (s >= Capacity || id.generation(kSlotBits) == 0) return LookupError::Invalid;
    const Meta& m = meta_[s];
    if (!m.loaded || m.generation != id.generation(kSlotBits)) return LookupError::Stale;
    *slot = s;
    return LookupError::None;
  }

  T& operator[](u32 slot) {
    CK_ASSERT(slot < Capacity);
    return items_[slot];
  }
  const T& operator[](u32 slot) const {
    CK_ASSERT(slot < Capacity);
    return items_[slot];
  }

  bool loaded(u32 slot) const { return meta_[slot].loaded; }
  bool locked(u32 slot) const { return meta_[slot].locked; }
  void set_locked(u32 slot, bool locked) { meta_[slot].locked = locked; }
  // Marks a use, for the clock's second chance.
  void touch(u32 slot) { meta_[slot].referenced = true; }
  u32 loaded_count() const { return loaded_; }

 private:
  friend struct FastPathLayout;  // CK_LOAD_MAPPING's entry path finds a space (calls.cpp)
  struct Meta {
    u32 generation = 1;
    bool loaded = false;
    bool locked = false;
    bool referenced = false;
    bool retired = false;
  };

  T items_[Capacity]{};
  Meta meta_[Capacity]{};
  u32 free_hint_ = 0;
  u32 hand_ = 0;
  u32 loaded_ = 0;
  u32 retired_ = 0;
};

}  // namespace ck
