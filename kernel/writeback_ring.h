// The writeback channel of a kernel (paper §2; ck/abi.h): a ring of 32-byte
// slots in memory the kernel designated, written by the Cache Kernel, read by the
// kernel. The Cache Kernel keeps its own head and trusts nothing in the shared header
// but the tail, which it checks. Nothing is written unless all of it fits.
#pragma once

#include "ck/abi.h"
#include "lib/types.h"

namespace ck {

// How the records still to be written fit, simulated: take() each record's slots in
// the order they will be written.
class RingRoom {
 public:
  RingRoom() = default;  // uninitialized: a plan fills only the rooms it uses
  RingRoom(u32 head, u32 tail, u32 slots);
  // False (and nothing taken) when `record_slots` more do not fit.
  bool take(u32 record_slots);
  u32 free() const { return free_; }

 private:
  u32 head_, free_, slots_;
};

class WritebackRing {
 public:
  // `memory` holds `slots` slots, the header first; `head` is the writer's own copy.
  WritebackRing(void* memory, u32 slots, u32* head)
      : header_(static_cast<ck_ring_header*>(memory)), memory_(static_cast<u8*>(memory)), slots_(slots), head_(head) {}

  // Makes the ring empty and says so in its header.
  void reset();
  // Takes the ring as its header describes it (records left unread stay), or resets it
  // when the header is not a ring of this size.
  void keep();
  RingRoom room() const;
  // Appends a record of 1 + extra_slots slots (extra: `extra_bytes` after the header
  // slot). The caller has checked room().take(1 + extra_slots).
  // True when the reader had cleared `pending` since the last record: it needs waking.
  bool write(const ck_writeback& record, const void* extra, u32 extra_bytes);

  static constexpr u32 extra_slots(u32 bytes) { return (bytes + CK_RING_SLOT_BYTES - 1) / CK_RING_SLOT_BYTES; }

 private:
  ck_ring_header& header() const { return *header_; }
  u8* slot(u32 index) const { return memory_ + index * CK_RING_SLOT_BYTES; }

  ck_ring_header* header_;  // the ring's first slot
  u8* memory_;
  u32 slots_;
  u32* head_;
};

}  // namespace ck
