// The writeback channels (writeback.h).
#include "writeback.h"

#include <cstring>

#include "assert.h"

namespace ck {

void Writeback::attach(u32 kernel, u32 id, u32 cookie, PhysAddr ring, u32 bytes, bool keep) {
  rings_[kernel] = Ring{.base = ring, .slots = bytes / CK_RING_SLOT_BYTES, .head = 1, .id = id, .cookie = cookie};
  if (kernel >= attached_limit_) attached_limit_ = kernel + 1;
  if (keep) {
    ring_of(kernel).keep();
  } else {
    ring_of(kernel).reset();
  }
}

bool Writeback::in_use(PhysAddr base, u32 bytes) const {
  for (u32 k = 0; k < attached_limit_; ++k) {
    const Ring& r = rings_[k];
    const u32 ring_bytes = r.slots * CK_RING_SLOT_BYTES;
    if (r.slots != 0 && base.value() < r.base.value() + ring_bytes && r.base.value() < base.value() + bytes)
      return true;
  }
  return false;
}

u32 Writeback::route(u32 kernel) const {
  Ring& r = rings_[kernel];
  if (kernel == first_ || first_ == kNoSlot) return kernel;
  const RingRoom room = ring_of(kernel).room();
  if (!r.overflow) {
    RingRoom trial = room;
    r.overflow = !trial.take(CK_WB_THREAD_SLOTS);
  } else {
    r.overflow = room.free() < r.slots / 2;
  }
  return r.overflow ? first_ : kernel;
}

bool Writeback::fits(u32 kernel, u32 slots) const {
  const u32 target = route(kernel);
  if (ring_of(target).room().take(routed_slots(slots, target != kernel))) return true;
  note_blocked(target);
  return false;
}

void Writeback::write(u32 kernel, const ck_writeback& record, const void* extra, u32 extra_bytes) {
  const Ring& r = rings_[kernel];
  if (!r.overflow) {
    if (ring_of(kernel).write(record, extra, extra_bytes)) messaging_.signal_physical(r.base, 0);
    return;
  }
  // Wrapped whole for the first kernel: the record and its extra slots follow the
  // wrapper, so a reader that skips records by their size skips them with it.
  u8 inner[CK_WB_THREAD_SLOTS * CK_RING_SLOT_BYTES] = {};
  CK_ASSERT(sizeof record + extra_bytes <= sizeof inner);
  ck_writeback copy = record;
  copy.slots = static_cast<u8>(1 + WritebackRing::extra_slots(extra_bytes));
  std::memcpy(inner, &copy, sizeof copy);
  if (extra_bytes != 0) std::memcpy(inner + sizeof copy, extra, extra_bytes);
  ck_writeback wrapper{};
  wrapper.kind = CK_WB_OVERFLOW;
  wrapper.id = r.id;
  wrapper.cookie = r.cookie;
  if (ring_of(first_).write(wrapper, inner, copy.slots * CK_RING_SLOT_BYTES))
    messaging_.signal_physical(rings_[first_].base, 0);
}

}  // namespace ck
