// Which frame holds each resident page of a process (paper §2.1: the emulator's own
// record, from which it loads the Cache Kernel's mappings on demand and reloads them
// after the Cache Kernel displaces them). A two-level table: a directory frame of 1,024
// entries of 4 MiB, each a frame of 1,024 page entries, all taken from the emulator's
// memory when first needed (the process table itself stays small: 64 processes and more).
//
// A walk (fork's sharing, a process's end) looks only where pages may be (issue 18 item
// 11: scanning every entry of the directory and of each table was a third of a fork):
// a bit per directory entry says it has a table, and the low bits of a directory entry
// (a frame, page-aligned) say which eighths of its table have held a page.
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
  // This empty map becomes a copy of `other` (fork: its tables copied whole, MOVE16, not
  // an entry at a time); false, and still empty, when the frames for the tables run out.
  // The pages' references are the caller's to take.
  bool clone_from(const PageMap& other);
  uint32_t resident() const { return resident_; }

 private:
  static constexpr uint32_t kEntries = 1024;
  // A directory entry: the table's frame, and a bit per eighth of the table (128 pages)
  // where a page was set since the table was made (a cleared page leaves its bit set).
  static constexpr uint32_t kChunks = 8, kChunkEntries = kEntries / kChunks;
  static constexpr uint32_t kChunkBits = (1u << kChunks) - 1;
  static constexpr uint32_t kFrameBits = ~0xfffu;
  uint32_t* table(uint32_t va) const;
  uint32_t* directory() const;

  uint32_t directory_frame_ = 0;  // the frames of the second-level tables (0: none yet)
  uint32_t resident_ = 0;
  uint32_t has_table_[kEntries / 32] = {};  // a bit per directory entry that has a table
};

template <typename Visit>
void PageMap::for_each(uint32_t start, uint32_t end, Visit&& visit) const {
  const uint32_t* directory_entries = directory();
  if (directory_entries == nullptr) return;
  for (uint32_t word = (start >> 22) / 32; word < kEntries / 32; ++word) {
    for (uint32_t bits = has_table_[word]; bits != 0; bits &= bits - 1) {
      const uint32_t d = word * 32 + static_cast<uint32_t>(__builtin_ctz(bits));
      if ((d << 22 | 0x3fffff) < start) continue;
      if ((d << 22) >= end) return;
      const uint32_t entry = directory_entries[d];
      const uint32_t* t = table(d << 22);
      // The part of this table's 4 MiB inside [start, end), found once: the scan of its
      // entries (in the eighths that held pages) is a load and a test each.
      const uint32_t first = (d << 22) < start ? (start >> 12) & (kEntries - 1) : 0;
      const uint32_t last = end - 1 < (d << 22 | 0x3fffff) ? ((end - 1) >> 12) & (kEntries - 1) : kEntries - 1;
      for (uint32_t c = first / kChunkEntries; c <= last / kChunkEntries; ++c) {
        if ((entry & 1u << c) == 0) continue;
        const uint32_t from = c * kChunkEntries > first ? c * kChunkEntries : first;
        const uint32_t to = c * kChunkEntries + kChunkEntries - 1 < last ? c * kChunkEntries + kChunkEntries - 1 : last;
        for (uint32_t i = from; i <= to; ++i)
          if (t[i] != 0) visit(d << 22 | i << 12, t[i]);
      }
    }
  }
}

}  // namespace unixemu
