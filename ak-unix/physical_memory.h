// The emulator's physical memory (paper §2.1, §3): the page frames of its grant, handed
// to processes' pages and its own page maps, and reachable from the emulator's own
// address space through a window mapped locked — an exception handler runs on the
// faulting thread's exception stack and must not fault itself, so everything it touches
// is mapped for good. (The PROM table, the root file system, is read through windows of
// its own: prom_window.h.)
#pragma once

#include <stdint.h>

#include "libak.h"
#include "memory.h"  // libak: FrameAllocator

namespace unixemu {

class Memory {
 public:
  // Maps [memory_base, memory_end) of the boot info at kWindow, locked. False (and the
  // reason printed) when a mapping is refused.
  bool init(const ck_boot_info& info);

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

  // Where frame byte `pa` is in the emulator's space.
  uint8_t* at(uint32_t pa) const { return reinterpret_cast<uint8_t*>(kWindow + (pa - base_)); }
  // After instructions were written into frame `pa`: instruction fetches see them.
  int32_t sync_code(uint32_t pa) const;
  bool owns(uint32_t pa) const { return pa >= base_ && pa < end_; }

  static constexpr uint32_t kWindow = 0x40000000;
  // Where the window must end (the PROM windows follow it: prom_window.h).
  static constexpr uint32_t kWindowLimit = 0x50000000;

 private:
  uint32_t index(uint32_t frame) const { return (frame - base_) / ak::kPageBytes; }
  // The last reference to `frame` dropped: it goes back to the allocator.
  void release(uint32_t frame);

  ak::FrameAllocator frames_{0, 0};
  bool (*reclaim_)() = nullptr;
  uint16_t refs_[ak::FrameAllocator::kMaxFrames] = {};  // references to each frame
  uint32_t base_ = 0, end_ = 0, total_ = 0;
};

// Inline: page-map walks and faults call it for every page.
extern Memory g_memory;
inline Memory& memory() { return g_memory; }

}  // namespace unixemu
