// Which frame holds each resident page of a process (paper §2.1: the emulator's own
// record, from which it loads the Cache Kernel's mappings on demand and reloads them
// after the Cache Kernel displaces them). A two-level table: a directory frame of 1,024
// entries of 4 MiB, each a frame of 1,024 page entries, all taken from the emulator's
// memory when first needed (the process table itself stays small: 64 processes and more).
#pragma once

#include <stdint.h>

namespace unixemu {

class PageMap {
 public:
  // The frame holding page `va`, or 0.
  uint32_t lookup(uint32_t va) const;
  // Records `frame` for page `va`; false when no frame is left for the table.
  bool set(uint32_t va, uint32_t frame);
  // Forgets page `va`; its frame (0 if none).
  uint32_t clear(uint32_t va);
  // Calls visit(va, frame) for each resident page in [start, end).
  template <typename Visit>
  void for_each(uint32_t start, uint32_t end, Visit&& visit) const;
  // Frees the tables (the pages' frames are the caller's to free first).
  void release();
  uint32_t resident() const { return resident_; }

 private:
  static constexpr uint32_t kEntries = 1024;
  uint32_t* table(uint32_t va) const;
  uint32_t* directory() const;

  uint32_t directory_frame_ = 0;  // the frames of the second-level tables (0: none yet)
  uint32_t resident_ = 0;
};

template <typename Visit>
void PageMap::for_each(uint32_t start, uint32_t end, Visit&& visit) const {
  const uint32_t* directory_entries = directory();
  if (directory_entries == nullptr) return;
  for (uint32_t d = start >> 22; d < kEntries && (d << 22) < end; ++d) {
    if (directory_entries[d] == 0) continue;
    const uint32_t* t = table(d << 22);
    // The part of this table's 4 MiB inside [start, end), found once: the scan of its
    // 1,024 entries is a load and a test each.
    const uint32_t first = (d << 22) < start ? (start >> 12) & (kEntries - 1) : 0;
    const uint32_t last = end - 1 < (d << 22 | 0x3fffff) ? ((end - 1) >> 12) & (kEntries - 1) : kEntries - 1;
    for (uint32_t i = first; i <= last; ++i)
      if (t[i] != 0) visit(d << 22 | i << 12, t[i]);
    if (d == kEntries - 1) break;
  }
}

}  // namespace unixemu
