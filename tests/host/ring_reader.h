// Reading a writeback ring on the simulated machine as an application kernel would
// (common/include/ck/abi.h): the records from tail to head, pads skipped, a thread's
// state with its record; the tail moves on past them.
#pragma once

#include <cstring>
#include <vector>

#include "arch/arch.h"
#include "ck/abi.h"

namespace ck {

struct RingRecord {
  ck_writeback header;
  ck_thread_state state;  // CK_WB_THREAD (or an overflowing one) only
  ck_writeback inner;     // CK_WB_OVERFLOW only: the record it carries
};

inline std::vector<RingRecord> drain(PhysAddr ring) {
  auto* h = static_cast<ck_ring_header*>(arch::physical_memory(ring));
  const auto* base = static_cast<const u8*>(arch::physical_memory(ring));
  std::vector<RingRecord> out;
  while (h->tail != h->head) {
    RingRecord r{};
    std::memcpy(&r.header, base + h->tail * CK_RING_SLOT_BYTES, sizeof r.header);
    if (r.header.kind == CK_WB_THREAD) std::memcpy(&r.state, base + (h->tail + 1) * CK_RING_SLOT_BYTES, sizeof r.state);
    if (r.header.kind == CK_WB_OVERFLOW) {
      std::memcpy(&r.inner, base + (h->tail + 1) * CK_RING_SLOT_BYTES, sizeof r.inner);
      if (r.inner.kind == CK_WB_THREAD)
        std::memcpy(&r.state, base + (h->tail + 2) * CK_RING_SLOT_BYTES, sizeof r.state);
    }
    if (r.header.kind != CK_WB_PAD) out.push_back(r);
    u32 next = h->tail + r.header.slots;
    if (next == h->slots) next = 1;
    h->tail = next;
  }
  return out;
}

}  // namespace ck
