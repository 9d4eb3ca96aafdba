// The writeback ring reader and dispatch (libak.h; ring format in ck/abi.h).
#include <string.h>

#include "libak.h"

namespace ak {

bool WritebackReader::next(ck_writeback* record, ck_thread_state* state) {
  for (;;) {
    const uint32_t tail = ring_->tail;
    if (tail == ring_->head) {
      // Clear the flag, then look again: a record written in between is seen now, and
      // one written after finds the flag clear and signals (no lost wake-up).
      ring_->pending = 0;
      if (tail == ring_->head) return false;
      continue;
    }
    const uint8_t* slot = reinterpret_cast<const uint8_t*>(ring_) + tail * CK_RING_SLOT_BYTES;
    memcpy(record, slot, sizeof *record);
    if (record->kind == CK_WB_THREAD && state != nullptr) memcpy(state, slot + CK_RING_SLOT_BYTES, sizeof *state);
    uint32_t next = tail + record->slots;
    if (next >= ring_->slots) next = 1;
    ring_->tail = next;
    if (record->kind != CK_WB_PAD) return true;
  }
}

uint32_t WritebackHandler::dispatch(WritebackReader& ring) {
  ck_writeback r;
  ck_thread_state state;
  uint32_t n = 0;
  for (; ring.next(&r, &state); ++n) {
    switch (r.kind) {
      case CK_WB_MAPPING:
        mapping(r);
        break;
      case CK_WB_THREAD:
        thread(r, state);
        break;
      case CK_WB_SPACE:
        space(r);
        break;
      case CK_WB_KERNEL:
        kernel(r);
        break;
      case CK_WB_FAULT:
        fault(r);
        break;
      default:
        break;
    }
  }
  return n;
}

}  // namespace ak
