// What the hostile kernel knows of itself (issue 15, paper §2-§4): its identifiers, the
// memory it may hand to its own calls and the objects it loaded, so that it can aim calls
// at objects that are valid, stale, forged, of the wrong type or another kernel's, and
// know which calls the Cache Kernel must refuse. Its own code, data, stacks and ring are
// never the target of a call that could succeed: its verdicts stay reliable.
#pragma once

#include <stdint.h>

#include "ck/abi.h"
#include "rng.h"

namespace fuzz {

inline constexpr uint32_t kPage = 4096;

// Virtual layout of its home space (the image, stacks and ring are where ak_layout puts them).
inline constexpr uint32_t kWindow = 0x20000000;       // pool pages it maps and unmaps at home
inline constexpr uint32_t kWindowPages = 32;          // page 0 stays mapped, page 1 never is
inline constexpr uint32_t kCodeWindow = 0x30000000;   // the stream code frames, writable here
inline constexpr uint32_t kNeverMapped = 0x5f000000;  // no mapping is ever loaded here

// Virtual layout of a stream space (the instruction streams' address spaces). Code page
// p is at code_va(p), with an unmapped page after each: an instruction that runs off a
// code page's end faults there instead of straddling into the next (QEMU 7.2 crashes in
// translation on some such straddles, reached at odd addresses; see streams.cpp).
inline constexpr uint32_t kStreamCode = 0x00400000;
inline constexpr uint32_t kStreamStack = 0x00800000;  // one writable page; the next is unmapped
inline constexpr uint32_t kStreamData = 0x01000000;   // pool pages come and go here

inline constexpr uint32_t kPoolPages = 64;
inline constexpr uint32_t kCodePages = 2;
constexpr uint32_t code_va(uint32_t page) { return kStreamCode + 2 * page * kPage; }
// The code pages and the unmapped page after each: a stream may run anywhere in here.
constexpr bool in_code_window(uint32_t va) { return va - kStreamCode < 2 * kCodePages * kPage; }
// Where a stream jumps besides its code (streams.cpp; odd or even): unmapped, the
// kernel's, the table window, the I/O page, the top of memory.
inline constexpr uint32_t kJumpTargets[] = {0x00000000, 0x00001000, 0x00002000, 0xf0000000,
                                            0xff008000, 0xfffffffe, 0xfffffff8, 0x00900000};
// A page a stream may run in: only a code frame is ever mapped there (in the code
// window) or nothing (the jump targets), never a pool page, whose words are whatever was
// stored in it, unfiltered (QEMU 7.2 aborts translating some: streams.cpp).
constexpr bool streams_run_in(uint32_t va) {
  if (in_code_window(va)) return true;
  for (const uint32_t t : kJumpTargets)
    if (((va ^ t) & ~(kPage - 1)) == 0) return true;
  return false;
}
inline constexpr uint32_t kMaxSpaces = 4;
inline constexpr uint32_t kMaxThreads = 4;
inline constexpr uint32_t kStale = 32;

struct StreamThread {
  volatile ck_id id;  // 0: the slot is free
  uint32_t space;     // index in World::spaces
  volatile uint32_t exceptions;
};

struct World {
  const ck_boot_info* info;
  ck_id kernel, home, self;
  uint32_t max_priority;
  uint32_t pool;         // first of kPoolPages physical pages its calls may map
  uint32_t code_frames;  // kCodePages physical pages of instruction streams
  uint32_t stack_frame;  // the streams' stack page
  ck_id spaces[kMaxSpaces];
  StreamThread threads[kMaxThreads];
  ck_id stale[kStale];  // identifiers of objects that left the cache
  uint32_t stale_next;

  void gone(ck_id id) { stale[stale_next++ % kStale] = id; }
  ck_id any_stale(Rng& rng) const { return stale[rng.below(kStale)]; }
  // A loaded stream space (index), or -1.
  int any_space(Rng& rng) const {
    const uint32_t start = rng.below(kMaxSpaces);
    for (uint32_t i = 0; i < kMaxSpaces; ++i)
      if (spaces[(start + i) % kMaxSpaces] != 0) return static_cast<int>((start + i) % kMaxSpaces);
    return -1;
  }
  int any_thread(Rng& rng) const {
    const uint32_t start = rng.below(kMaxThreads);
    for (uint32_t i = 0; i < kMaxThreads; ++i)
      if (threads[(start + i) % kMaxThreads].id != 0) return static_cast<int>((start + i) % kMaxThreads);
    return -1;
  }
  bool own_memory(uint32_t pa) const { return pa >= info->ring_physical && pa < info->memory_end; }
  uint32_t pool_page(Rng& rng) const { return pool + rng.below(kPoolPages) * kPage; }
};

World& world();
// Reads its writeback ring, checking every record (fuzz.cpp).
void drain_ring();
// Unloads (op: CK_UNLOAD_SPACE or CK_UNLOAD_THREAD) an object of its own it does not
// mean to keep, draining its ring as long as it is full; only one that left is stale.
void discard(uint32_t op, ck_id id);

}  // namespace fuzz
