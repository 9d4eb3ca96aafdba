// A process's virtual memory as the emulator keeps it (paper §2.1: the application
// kernel, not the Cache Kernel, knows what each address of its processes should hold;
// the Cache Kernel only caches the mappings): page-aligned regions with protections,
// anonymous (zero-filled) or backed by a file's bytes. mmap, munmap, mprotect, mremap and
// brk are edits of this list; which pages are resident is the page map's business.
// Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

inline constexpr uint32_t kPageBytes = 4096;
constexpr uint32_t page_down(uint32_t a) { return a & ~(kPageBytes - 1); }
constexpr uint32_t page_up(uint32_t a) { return (a + kPageBytes - 1) & ~(kPageBytes - 1); }

enum class RegionKind : uint8_t { Anonymous, File, Heap, Stack };

struct Region {
  uint32_t start = 0, end = 0;  // page-aligned, start < end
  uint32_t prot = 0;            // PROT_* bits
  RegionKind kind = RegionKind::Anonymous;
  bool shared = false;  // MAP_SHARED
  // Backed by a file (file_node, a node of the file tree, kNoFile when none): the
  // region's first byte is the file's byte file_offset; `file_bytes` bytes come from the
  // file, the rest of the region reads as zero. `file_end_page`: pages from there on lie
  // wholly beyond the file's end (touching them is SIGBUS, as on Linux).
  static constexpr uint32_t kNoFile = 0xffffffffu;
  uint32_t file_node = kNoFile;
  uint32_t file_offset = 0;
  uint32_t file_bytes = 0;
  uint32_t file_end_page = 0;
  bool contains(uint32_t va) const { return va >= start && va < end; }
};

class Regions {
 public:
  static constexpr uint32_t kMaxRegions = 64;

  const Region* find(uint32_t va) const {
    // The last one found first, inline (a pipe's every 1-byte copy asks).
    if (last_found_ < count_ && regions_[last_found_].contains(va)) return &regions_[last_found_];
    return search(va);
  }
  uint32_t count() const { return count_; }
  const Region& at(uint32_t i) const { return regions_[i]; }

  // True when no region overlaps [start, end).
  bool free(uint32_t start, uint32_t end) const;
  // Adds `r` (which must not overlap any); false when the list is full.
  bool insert(const Region& r);
  // Removes [start, end) from every region it overlaps, splitting them; false (nothing
  // changed) when a split needs a slot there is not.
  bool remove(uint32_t start, uint32_t end);
  // Sets the protection of [start, end), which regions must cover without gaps (else
  // false, nothing changed; also when a split finds no slot).
  bool protect(uint32_t start, uint32_t end, uint32_t prot);
  // The lowest free range of `bytes` at or above `from`, ending at or below `limit`; 0
  // when there is none.
  uint32_t find_free(uint32_t bytes, uint32_t from, uint32_t limit) const;
  // Moves the region starting at `from` (whole) to start at `to`; false when there is none.
  bool move(uint32_t from, uint32_t to);
  // Grows or shrinks the region starting at `start` to end at `end`.
  bool resize(uint32_t start, uint32_t end);
  // True when [start, end) is covered by regions without gaps.
  bool covered(uint32_t start, uint32_t end) const;
  void clear() { count_ = 0; }
  // Becomes a copy of `other` (fork): its regions only, not the whole array.
  void copy_from(const Regions& other) {
    count_ = other.count_;
    for (uint32_t i = 0; i < count_; ++i) regions_[i] = other.regions_[i];
  }

 private:
  // Splits the region holding `at` (if any, and if `at` is inside it) into two at `at`.
  bool split(uint32_t at);
  void erase(uint32_t i);
  // find's search of every region (its guess missed).
  const Region* search(uint32_t va) const;

  Region regions_[kMaxRegions];  // sorted by start, disjoint
  uint32_t count_ = 0;
  // The region find found last, looked at first (each 1-byte copy of a pipe's read or
  // write asks; a process has some ten regions): only a guess, checked before it is taken,
  // so nothing that changes the list has to keep it right.
  mutable uint32_t last_found_ = 0;
};

}  // namespace unixemu
