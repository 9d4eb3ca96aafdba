// The writeback channels (writeback.h).
#include "writeback.h"

namespace ck {

void Writeback::attach(u32 kernel, PhysAddr ring, u32 bytes, bool keep) {
  rings_[kernel] = Ring{.base = ring, .slots = bytes / CK_RING_SLOT_BYTES, .head = 1};
  if (keep) {
    ring_of(kernel).keep();
  } else {
    ring_of(kernel).reset();
  }
}

bool Writeback::in_use(PhysAddr base, u32 bytes) const {
  for (const Ring& r : rings_) {
    const u32 ring_bytes = r.slots * CK_RING_SLOT_BYTES;
    if (r.slots != 0 && base.value() < r.base.value() + ring_bytes && r.base.value() < base.value() + bytes)
      return true;
  }
  return false;
}

void Writeback::write(u32 kernel, const ck_writeback& record, const void* extra, u32 extra_bytes) {
  if (ring_of(kernel).write(record, extra, extra_bytes)) messaging_.signal_physical(rings_[kernel].base, 0);
}

}  // namespace ck
