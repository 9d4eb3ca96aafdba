// The writeback channels (paper §2, §4.2): each loaded kernel's ring in memory it gave
// (writeback_ring.h), where the state of its objects goes when they leave the cache; a
// kernel object's own record goes to the first kernel's ring. Every writeback path
// plans the room it needs first (a WritebackPlan over every ring it touches) and writes
// only what was planned, so a record is never dropped or overwritten.
//
// Owns: per kernel slot, its ring's address and size and the Cache Kernel's own copy of
// its head (the shared header is not trusted).
// Invariants: a loaded kernel's ring has at least 128 slots and its head is within them.
#pragma once

#include "config.h"
#include "messaging.h"
#include "writeback_ring.h"

namespace ck {

class Writeback;

class Writeback {
 public:
  explicit Writeback(Messaging& messaging) : messaging_(messaging) {}

  // The kernel's ring is [ring, ring + bytes); `keep`: the records left unread in it
  // stay (a reloaded kernel), else it starts empty.
  void attach(u32 kernel, PhysAddr ring, u32 bytes, bool keep);
  // No kernel: no ring in use.
  void reset() {
    for (Ring& r : rings_) r = Ring{};
  }
  // The kernel has left: its ring is no one's.
  void detach(u32 kernel) { rings_[kernel] = Ring{}; }
  // Whether [base, base + bytes) overlaps a loaded kernel's ring (a ring is exclusive to
  // its kernel: a second one would reset the records waiting there).
  bool in_use(PhysAddr base, u32 bytes) const;
  PhysAddr ring(u32 kernel) const { return rings_[kernel].base; }
  RingRoom room(u32 kernel) const { return ring_of(kernel).room(); }
  RingRoom empty_room(u32 kernel) const { return RingRoom(1, 1, rings_[kernel].slots); }
  // Appends a planned record; the first since the kernel last found its ring empty
  // wakes its writeback thread: a signal on the ring's page to the signal thread of the
  // kernel's mapping of it (§2.2; a kernel without one polls `pending`).
  void write(u32 kernel, const ck_writeback& record, const void* extra = nullptr, u32 extra_bytes = 0);

 private:
  friend class Invariants;

  struct Ring {
    PhysAddr base;
    u32 slots = 0;  // 32-byte slots, the header included
    u32 head = 1;
  };
  WritebackRing ring_of(u32 kernel) const {
    Ring& r = rings_[kernel];
    return WritebackRing(arch::physical_memory(r.base), r.slots, &r.head);
  }

  Messaging& messaging_;
  // mutable: a WritebackRing takes the head by pointer (write() advances it; room() only
  // reads it).
  mutable Ring rings_[kKernelCapacity];
};

// The room left in each ring while a call plans its writebacks (the check phase).
class WritebackPlan {
 public:
  enum class From : u8 { Now, Empty };
  // Against the rings as they are now, or as if every ring were empty (whether a
  // cascade could ever fit).
  explicit WritebackPlan(const Writeback& writeback, From from = From::Now) : writeback_(&writeback), from_(from) {}
  // Takes `slots` of `kernel`'s ring for one record; false (nothing taken) when they do
  // not fit after what the plan took already.
  bool take(u32 kernel, u32 slots) {
    const u32 bit = 1u << (kernel % 32);
    if ((known_[kernel / 32] & bit) == 0) {
      room_[kernel] = from_ == From::Now ? writeback_->room(kernel) : writeback_->empty_room(kernel);
      known_[kernel / 32] |= bit;
    }
    return room_[kernel].take(slots);
  }

 private:
  const Writeback* writeback_;
  From from_;
  u32 known_[(kKernelCapacity + 31) / 32] = {};  // bit per kernel: room_ read
  RingRoom room_[kKernelCapacity];
};

}  // namespace ck
