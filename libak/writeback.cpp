// The writeback ring reader and dispatch (libak.h; ring format in ck/abi.h).
#include <string.h>

#include "libak.h"

namespace ak {

bool WritebackReader::next(ck_writeback* record, ck_thread_state* state, ck_writeback* inner) {
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
    // The record's 32 bytes moved in place: `-ffreestanding` makes a memcpy a call, some 90
    // instructions for these, and every unload the owner makes itself (a process's
    // mappings, one call each) writes one.
    __builtin_memcpy(record, slot, sizeof *record);
    if (record->kind == CK_WB_THREAD && state != nullptr) memcpy(state, slot + CK_RING_SLOT_BYTES, sizeof *state);
    if (record->kind == CK_WB_OVERFLOW && inner != nullptr) {
      memcpy(inner, slot + CK_RING_SLOT_BYTES, sizeof *inner);
      if (inner->kind == CK_WB_THREAD && state != nullptr) memcpy(state, slot + 2 * CK_RING_SLOT_BYTES, sizeof *state);
    }
    uint32_t next = tail + record->slots;
    if (next >= ring_->slots) next = 1;
    ring_->tail = next;
    if (record->kind != CK_WB_PAD) return true;
  }
}

uint32_t WritebackHandler::dispatch(WritebackReader& ring) {
  ck_writeback r, inner;
  ck_thread_state state;
  uint32_t n = 0;
  for (; ring.next(&r, &state, &inner); ++n) {
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
      case CK_WB_HOME_FAULT:
        home_fault(r);
        break;
      case CK_WB_OVERFLOW:
        overflow(r, inner, state);
        break;
      default:
        break;
    }
  }
  return n;
}

}  // namespace ak
