// The writeback ring (writeback_ring.h).
#include "writeback_ring.h"

#include <cstring>

namespace ck {

RingRoom::RingRoom(u32 head, u32 tail, u32 slots) : head_(head), slots_(slots) {
  // Usable slots are 1..slots-1; one stays empty so that head == tail means empty.
  const u32 usable = slots - 1;
  const u32 used = (head + usable - tail) % usable;
  free_ = usable - 1 - used;
}

bool RingRoom::take(u32 record_slots) {
  // A record never wraps: a pad record fills the ring's end first.
  const u32 pad = head_ + record_slots > slots_ ? slots_ - head_ : 0;
  if (pad + record_slots > free_) return false;
  free_ -= pad + record_slots;
  head_ = pad != 0 ? 1 + record_slots : head_ + record_slots;
  if (head_ == slots_) head_ = 1;
  return true;
}

void WritebackRing::reset() {
  *head_ = 1;
  ck_ring_header& h = header();
  h.head = 1;
  h.tail = 1;
  h.slots = slots_;
  h.pending = 0;
  h.written = 0;
}

void WritebackRing::keep() {
  const ck_ring_header& h = header();
  if (h.slots != slots_ || h.head == 0 || h.head >= slots_ || h.tail == 0 || h.tail >= slots_) {
    reset();
    return;
  }
  *head_ = h.head;
}

RingRoom WritebackRing::room() const {
  const u32 tail = header().tail;
  // A tail the kernel scribbled over leaves it no room: only it suffers.
  if (tail == 0 || tail >= slots_) return RingRoom(1, 1, 2);
  return RingRoom(*head_, tail, slots_);
}

bool WritebackRing::write(const ck_writeback& record, const void* extra, u32 extra_bytes) {
  const u32 n = 1 + extra_slots(extra_bytes);
  u32 head = *head_;
  if (head + n > slots_) {
    ck_writeback pad{};
    pad.kind = CK_WB_PAD;
    pad.slots = static_cast<u8>(slots_ - head);
    std::memcpy(slot(head), &pad, sizeof pad);
    head = 1;
  }
  ck_writeback r = record;
  r.slots = static_cast<u8>(n);
  std::memcpy(slot(head), &r, sizeof r);
  if (extra_bytes != 0) std::memcpy(slot(head + 1), extra, extra_bytes);
  head += n;
  if (head == slots_) head = 1;
  *head_ = head;
  // The records are in place before the head says so (one processor: a compiler
  // barrier orders the stores).
  asm volatile("" : : : "memory");
  ck_ring_header& h = header();
  h.head = head;
  h.written = h.written + 1;
  const bool was_pending = h.pending != 0;
  h.pending = 1;
  return !was_pending;
}

}  // namespace ck
