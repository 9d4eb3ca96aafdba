// The writeback channels (paper §2, §4.2): each loaded kernel's ring in memory it gave
// (writeback_ring.h), where the state of its objects goes when they leave the cache; a
// kernel object's own record goes to the first kernel's ring. Every writeback path
// plans the room it needs first (a WritebackPlan over every ring it touches) and writes
// only what was planned, so a record is never dropped or overwritten.
//
// A ring its kernel does not drain (full, or its tail scribbled) must not make its
// objects a free lock on the caches that stalls everyone else (paper §4.3: the owner
// pays). Once a ring cannot take a thread record, it *overflows*: that kernel's records
// go to the first kernel's ring instead, each wrapped in a CK_WB_OVERFLOW record naming
// it, until its own ring is half empty again; its objects stay reclaimable, and the
// kernel's own calls that may write back are refused with CK_E_RETRY ("drain your
// ring") meanwhile. The state changes only when a plan asks where a kernel's records
// go (route()), never between a plan and its commit, so a commit writes exactly where
// its plan took room.
//
// Owns: per kernel slot, its ring's address and size, the Cache Kernel's own copy of
// its head (the shared header is not trusted) and whether it overflows; the kernel
// whose ring last lacked room (the answer to a CK_E_RETRY).
// Invariants: a loaded kernel's ring has at least 128 slots and its head is within them;
// the first kernel's ring never overflows.
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
  // `id`, `cookie`: the kernel object's, for the CK_WB_OVERFLOW records that name it.
  void attach(u32 kernel, u32 id, u32 cookie, PhysAddr ring, u32 bytes, bool keep);
  // The first kernel: where overflowing rings' records go.
  void set_first(u32 kernel) { first_ = kernel; }
  // No kernel: no ring in use.
  void reset() {
    for (Ring& r : rings_) r = Ring{};
    attached_limit_ = 0;
    first_ = kNoSlot;
    blocked_ = kNoSlot;
  }
  // The kernel has left: its ring is no one's.
  void detach(u32 kernel) { rings_[kernel] = Ring{}; }
  // Whether [base, base + bytes) overlaps a loaded kernel's ring (a ring is exclusive to
  // its kernel: a second one would reset the records waiting there).
  bool in_use(PhysAddr base, u32 bytes) const;
  PhysAddr ring(u32 kernel) const { return rings_[kernel].base; }
  RingRoom room(u32 kernel) const { return ring_of(kernel).room(); }
  RingRoom empty_room(u32 kernel) const { return RingRoom(1, 1, rings_[kernel].slots); }
  // Whose ring the kernel's records go to now: its own, or the first kernel's while
  // its own overflows (the state is updated here, from the ring's room).
  u32 route(u32 kernel) const;
  // The same without looking at the ring again.
  u32 routed(u32 kernel) const { return rings_[kernel].overflow ? first_ : kernel; }
  // Whether a record of `slots` for the kernel fits where it goes now (a plan of one).
  bool fits(u32 kernel, u32 slots) const;
  // Slots a record of `slots` takes where it goes (the overflow wrapper included).
  static u32 routed_slots(u32 slots, bool overflow) { return slots + (overflow ? 1 : 0); }
  // The kernel's ring overflows: its own calls that may write back must wait for it to
  // drain (CK_E_RETRY; it is then the kernel blocked() names).
  bool must_drain(u32 kernel) const {
    // route()'s own first test, inline: the first kernel's records, or any before a
    // first kernel exists, go to its own ring (every mapping load asks).
    if (kernel == first_ || first_ == kNoSlot) return false;
    if (route(kernel) == kernel) return false;
    note_blocked(kernel);
    return true;
  }
  // The kernel whose ring last lacked room for a planned record (kNoSlot: none yet).
  u32 blocked() const { return blocked_; }
  void note_blocked(u32 kernel) const { blocked_ = kernel; }
  // Appends a planned record; the first since the kernel last found its ring empty
  // wakes its writeback thread: a signal on the ring's page to the signal thread of the
  // kernel's mapping of it (§2.2; a kernel without one polls `pending`).
  void write(u32 kernel, const ck_writeback& record, const void* extra = nullptr, u32 extra_bytes = 0);

 private:
  friend class Invariants;
  friend struct FastPathLayout;  // CK_LOAD_MAPPING's entry path reads first_ (calls.cpp)

  struct Ring {
    PhysAddr base;
    u32 slots = 0;  // 32-byte slots, the header included
    u32 head = 1;
    u32 id = 0;  // the kernel object's identifier and cookie (overflow records)
    u32 cookie = 0;
    bool overflow = false;
  };
  WritebackRing ring_of(u32 kernel) const {
    Ring& r = rings_[kernel];
    return WritebackRing(arch::physical_memory(r.base), r.slots, &r.head);
  }

  Messaging& messaging_;
  // mutable: a WritebackRing takes the head by pointer (write() advances it; room() only
  // reads it).
  mutable Ring rings_[kKernelCapacity];
  // Above every kernel slot a ring was ever attached at (since reset()): in_use() looks
  // no further (kernels take the lowest free slot, so it is the most loaded at once).
  u32 attached_limit_ = 0;
  u32 first_ = kNoSlot;
  mutable u32 blocked_ = kNoSlot;
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
  // In the ring the kernel's records go to (route(); as if empty: where they went when
  // the call's plan of the rings as they are asked).
  bool take(u32 kernel, u32 slots) {
    const u32 target = from_ == From::Now ? writeback_->route(kernel) : writeback_->routed(kernel);
    const u32 bit = 1u << (target % 32);
    if ((known_[target / 32] & bit) == 0) {
      room_[target] = from_ == From::Now ? writeback_->room(target) : writeback_->empty_room(target);
      known_[target / 32] |= bit;
    }
    if (room_[target].take(Writeback::routed_slots(slots, target != kernel))) return true;
    writeback_->note_blocked(target);
    return false;
  }

 private:
  const Writeback* writeback_;
  From from_;
  u32 known_[(kKernelCapacity + 31) / 32] = {};  // bit per kernel: room_ read
  RingRoom room_[kKernelCapacity];
};

}  // namespace ck
