// The emulator's physical memory (paper §2.1, §3): the page frames of its grant, handed
// to processes' pages and its own page maps, and reachable from the emulator's own
// address space through a window: frame `pa` at kWindow + (pa - base). An exception
// handler runs on the faulting thread's exception stack and must not fault itself, so a
// window page is mapped locked before at() hands out a pointer into it. Two builds:
// - ak_unix (the kernel image's `unix`) maps every frame at start, for good (one locked
//   mapping per frame: 2,048 at mem=16); at() is arithmetic alone.
// - ak_unix_window (`unix_window`, in images for small caches: issue 17's small-caches
//   test) maps pages as used; they stay mapped until the emulator's lock is let go (a new
//   holding: emulator_lock.h). With a budget (`window=N`), beyond it, and whenever the
//   Cache Kernel has no descriptor left to give, pages no holding uses now are unloaded,
//   the clock's next first. A pointer from at() is good while the lock is held: no code
//   keeps one across a release or a pause of the lock.
// A test in at() to serve both from one build cost every exec about 1,500 instructions
// (at() is called about a thousand times an exec). (The PROM table, the root file
// system, is read through windows of its own: prom_window.h.)
#pragma once

#include <stdint.h>

#include "build_options.h"
#include "emulator_lock.h"
#include "libak.h"
#include "memory.h"  // libak: FrameAllocator

extern "C" void unixemu_window_use(uint32_t pa);

namespace unixemu {

class Memory {
 public:
  // The frames [memory_base, memory_end) of the boot info, to be mapped at kWindow of
  // `info.space` as they are used. False (and the reason printed) when there are none.
  bool init(const ck_boot_info& info);
  // ak_unix: maps every frame now, locked. False (and why printed) when the Cache Kernel
  // refuses one: that build cannot map a frame later.
  bool map_all();
  // ak_unix_window: how many window pages may stay mapped between holdings of the lock
  // (at least kMinBudget; the emulator's `window=N` argument).
  void set_budget(uint32_t pages) {
    budget_ = pages < kMinBudget ? kMinBudget : pages;
    stamp_ = emulator_lock().holding_stamp();
  }

  // A zeroed frame (one reference); false when none is free.
  bool allocate(uint32_t* frame);
  // A frame as it was left (the caller writes every byte of it); false when none is free.
  bool allocate_to_fill(uint32_t* frame);
  // Called when no frame is free, before an allocation fails: frees what it can (frames
  // kept only as a cache) and says whether it freed any.
  void set_reclaim(bool (*reclaim)()) { reclaim_ = reclaim; }
  // Drops a reference to `frame`: the last one frees it. Inline: a process's end drops
  // one for each of its pages, most of them shared (a forked child's).
  void free(uint32_t frame) {
    uint16_t& refs = refs_[index(frame)];
    if (refs > 1) {
      refs -= 1;
      return;
    }
    release(frame);
  }
  // Frames are reference-counted (fork shares a process's pages copy-on-write, paper
  // §2.1): one more reference, and how many there are.
  void share(uint32_t frame) { refs_[index(frame)] += 1; }
  uint32_t refs(uint32_t frame) const { return refs_[index(frame)]; }
  uint32_t available() const { return frames_.available(); }
  uint32_t total() const { return total_; }

  // Where frame byte `pa` is in the emulator's space, its page mapped (locked) until the
  // lock's holding ends. Inline: page-map walks and copies call it for every page.
  // ak_unix: every page is mapped. ak_unix_window: the page's stamp is looked at out of
  // line by a call that keeps every register (window_use.S).
  uint8_t* at(uint32_t pa) {
    if constexpr (kWindowBuild) use_keeping_registers(pa);
    return reinterpret_cast<uint8_t*>(kWindow + (pa - base_));
  }
  // at()'s slow path (window_use.S): the page of `pa` mapped if it is not, marked used
  // by this holding.
  void use_if_needed(uint32_t pa);
  // The same as at(), the page mapped for good (the console's input ring, which the first thread
  // and the Cache Kernel's console reach at any time).
  uint8_t* pin(uint32_t pa);
  // After instructions were written into frame `pa`: instruction fetches see them.
  int32_t sync_code(uint32_t pa);
  bool owns(uint32_t pa) const { return pa >= base_ && pa < end_; }
  // Window pages mapped now, and how many times one was unloaded for another.
  uint32_t mapped() const { return mapped_; }
  uint32_t evictions() const { return evictions_; }
  uint32_t budget() const { return budget_; }

  static constexpr uint32_t kWindow = 0x40000000;
  // Where the window must end (the PROM windows follow it: prom_window.h).
  static constexpr uint32_t kWindowLimit = 0x50000000;
  static constexpr uint32_t kDefaultBudget = ak::FrameAllocator::kMaxFrames;  // no limit
  static constexpr uint32_t kMinBudget = 32;

 private:
  uint32_t index(uint32_t frame) const { return (frame - base_) / ak::kPageBytes; }
  // The last reference to `frame` dropped: it goes back to the allocator.
  void release(uint32_t frame);
  // The slow path of at(): frame `i` mapped if it is not, marked used by this holding.
  void use(uint32_t i);
  // (No "memory" clobber: it made every caller reload what it held in registers and
  // cost exec 2,000 instructions. What the call changes that inline code may read is the
  // page itself: said so, so no access to it moves above the call.)
  void use_keeping_registers(uint32_t pa) {
    register uint32_t d0 asm("d0") = pa;
    auto* page = reinterpret_cast<uint8_t(*)[ak::kPageBytes]>(kWindow + ((pa - base_) & ~(ak::kPageBytes - 1)));
    asm volatile("jsr unix_window_use" : "+m"(*page) : "d"(d0) : "cc");
  }
  // Maps frame `i` locked, unloading unused window pages when over budget or when the
  // Cache Kernel has no descriptor to give (its cache full of locked mappings); waits a
  // tick at a time while it cannot, saying so once.
  void map(uint32_t i, uint16_t holding);
  // Unloads one window page not used by holding `holding` nor pinned (the clock's next);
  // false when there is none.
  bool evict(uint16_t holding);
  uint32_t window_of(uint32_t i) const { return kWindow + i * ak::kPageBytes; }
  bool pinned(uint32_t i) const { return (pinned_[i / 32] >> (i % 32) & 1) != 0; }

  ak::FrameAllocator frames_{0, 0};
  bool (*reclaim_)() = nullptr;
  uint16_t refs_[ak::FrameAllocator::kMaxFrames] = {};  // references to each frame
  // The holding that last used each frame's window page; 0: not mapped (holdings are
  // never 0). Without a budget nothing is unloaded and the stamp is always kMapped: at()
  // then only asks whether the page is mapped (a stamp per holding cost a call per page
  // and holding: 800 instructions on a copy-on-write fault).
  static constexpr uint16_t kMapped = 1;
  const uint16_t* stamp_ = &kMapped;
  uint16_t used_[ak::FrameAllocator::kMaxFrames] = {};
  uint32_t pinned_[ak::FrameAllocator::kMaxFrames / 32] = {};
  ck_id space_ = 0;
  uint32_t base_ = 0, end_ = 0, total_ = 0;
  uint32_t budget_ = kDefaultBudget, mapped_ = 0, hand_ = 0, evictions_ = 0;
};

// Inline: page-map walks and faults call it for every page.
extern Memory g_memory;
inline Memory& memory() { return g_memory; }

}  // namespace unixemu
