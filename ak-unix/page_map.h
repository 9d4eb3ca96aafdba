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
//
// A page entry's low bits say whether the page may have a mapping in the Cache Kernel
// (issue 18 item 11): the emulator loads a process's mappings only on its faults, so a
// fork (which unloads the parent's writable mappings) and an exec or munmap (which unload
// every mapping of the old pages) need to ask the Cache Kernel only about those. The bits
// may claim a mapping that is gone (the Cache Kernel displaced it, or its space): an
// unload of it is refused as not mapped, as before; they never miss one that is there.
// They are a tag of the map that loaded the page, not a flag: a fork's copy of the tables
// gets a tag of its own, so the parent's marks mean nothing in it without a pass over its
// entries to clear them (tags are reused after 1,023 copies: a stale one that matches
// only claims a mapping that is not there).
#pragma once

#include <stdint.h>

#include "physical_memory.h"

namespace unixemu {

class PageMap {
 public:
  // What may be loaded for a page: a mapping (any rights), a writable one.
  static constexpr uint32_t kLoaded = 0x1, kLoadedWritable = 0x2;

  // The frame holding page `va`, or 0. The last page looked up or set first, inline (a
  // pipe's every 1-byte copy asks).
  uint32_t lookup(uint32_t va) const {
    if (last_entry_ != 0 && last_va_ == (va & kFrameBits)) return *entry_at(last_entry_) & kFrameBits;
    return lookup_walking(va);
  }
  // Records `frame` for page `va` (what may be loaded for it stays as it was: a mapping of
  // the old frame is the caller's to unload); false when no frame is left for the table.
  bool set(uint32_t va, uint32_t frame);
  // Forgets page `va`; its frame (0 if none).
  uint32_t clear(uint32_t va);
  // kLoaded and kLoadedWritable: what may be loaded for page `va` (0: nothing, no page).
  uint32_t loaded(uint32_t va) const;
  // Page `va` (resident) had a mapping loaded (`writable`: with write rights).
  void mark_loaded(uint32_t va, bool writable);
  // Page `va` has no mapping in the Cache Kernel now (unloaded); none claimed for a page
  // not resident.
  void mark_unloaded(uint32_t va);
  // Calls visit(va, frame) for each resident page in [start, end).
  template <typename Visit>
  void for_each(uint32_t start, uint32_t end, Visit&& visit) const {
    for_each_entry(start, end, [&](uint32_t va, uint32_t entry) { visit(va, entry & kFrameBits); });
  }
  // Calls visit(va, frame, loaded) for each resident page in [start, end) (loaded: what
  // may be loaded for it, as loaded() says).
  template <typename Visit>
  void for_each_loaded(uint32_t start, uint32_t end, Visit&& visit) const {
    for_each_entry(start, end, [&](uint32_t va, uint32_t entry) { visit(va, entry & kFrameBits, loaded_of(entry)); });
  }
  // Frees the tables (the pages' frames are the caller's to free first).
  void release();
  // This empty map becomes a copy of `other` (fork: its tables copied whole, MOVE16, not
  // an entry at a time), with nothing loaded for any page (a new space has no mapping);
  // false, and still empty, when the frames for the tables run out. The pages'
  // references are the caller's to take.
  bool clone_from(const PageMap& other);
  uint32_t resident() const { return resident_; }

 private:
  static constexpr uint32_t kEntries = 1024;
  // A directory entry: the table's frame, and a bit per eighth of the table (128 pages)
  // where a page was set since the table was made (a cleared page leaves its bit set).
  static constexpr uint32_t kChunks = 8, kChunkEntries = kEntries / kChunks;
  static constexpr uint32_t kChunkBits = (1u << kChunks) - 1;
  static constexpr uint32_t kFrameBits = ~0xfffu;
  // An entry's low bits: the tag of the map that loaded a mapping of it (0: none), and
  // whether that mapping was writable.
  static constexpr uint32_t kTagBits = 0x3ff, kWritableMark = 0x400;
  static constexpr uint32_t kTags = kTagBits;  // tags 1..1023
  // This map's tag (tag_ + 1: a zero-initialized map, as in the process table in .bss,
  // has tag 1).
  uint32_t tag() const { return tag_ + 1; }
  uint32_t loaded_of(uint32_t entry) const {
    if ((entry & kTagBits) != tag()) return 0;
    return (entry & kWritableMark) != 0 ? kLoaded | kLoadedWritable : kLoaded;
  }
  // Calls visit(va, entry) for each resident page's entry (frame and load bits).
  template <typename Visit>
  void for_each_entry(uint32_t start, uint32_t end, Visit&& visit) const;
  uint32_t* entry_of(uint32_t va) const;
  uint32_t lookup_walking(uint32_t va) const;
  uint32_t* table(uint32_t va) const;
  uint32_t* directory() const;
  // The entry at physical address `pa`, through the emulator's memory window.
  static uint32_t* entry_at(uint32_t pa) { return static_cast<uint32_t*>(static_cast<void*>(g_memory.at(pa))); }

  uint32_t directory_frame_ = 0;  // the frames of the second-level tables (0: none yet)
  uint32_t resident_ = 0;
  uint32_t tag_ = 0;  // tag() - 1
  // The entry of the last page looked up or set (a fault looks its page up, then marks it
  // loaded): va and its entry's physical address (tables are freed only by release();
  // a pointer would outlive the holding of the lock that mapped it: physical_memory.h).
  mutable uint32_t last_va_ = 0;
  mutable uint32_t last_entry_ = 0;
  uint32_t has_table_[kEntries / 32] = {};  // a bit per directory entry that has a table
};

// The first entry that is not 0 in [at, end), or end. TST and DBNE are two instructions an
// entry where the loop the compiler made of the C form was five (issue 18 item 11: a
// fork, a process's end and the space kept for the next fork each walk the page map; the
// empty entries between and around a program's pages are a few hundred instructions of a
// vfork + exit + wait). At most 1,024 entries: DBNE's count is a word.
inline const uint32_t* next_entry(const uint32_t* at, const uint32_t* end) {
#if defined(__mc68000__)
  if (at == end) return end;
  uint32_t left = static_cast<uint32_t>(end - at) - 1;  // DBNE stops below 0
  asm("1:\ttst.l (%0)+\n\t"
      "dbne %1, 1b"
      : "+a"(at), "+d"(left)
      :
      : "cc", "memory");
  // It stopped past the entry it tested last: that one is not 0, or none was.
  return at[-1] != 0 ? at - 1 : end;
#else
  while (at != end && *at == 0) ++at;
  return at;
#endif
}

template <typename Visit>
void PageMap::for_each_entry(uint32_t start, uint32_t end, Visit&& visit) const {
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
        const uint32_t* stop = t + to + 1;
        for (const uint32_t* e = next_entry(t + from, stop); e != stop; e = next_entry(e + 1, stop))
          visit(d << 22 | static_cast<uint32_t>(e - t) << 12, *e);
      }
    }
  }
}

}  // namespace unixemu
