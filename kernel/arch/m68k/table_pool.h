// The fixed pool the 68040 page tables are allocated from (DESIGN.md §3, paper §5.2):
// 512-byte chunks carved from one region sized at boot, each a root or pointer table
// (128 descriptors) or a page table (64 descriptors and, in its second half, a word per
// page the kernel keeps beside the translation: the index of its mapping record, which
// the MMU never reads). No heap: allocation and freeing are O(1) list operations, and
// so is handing out a zeroed table: a table given back empty (every descriptor and tag
// 0, as unmapping leaves it) stays zero while free but for its free-list links, and
// only a chunk given back with contents is cleared, when it is next allocated.
// Pure code over memory the caller provides; host-tested (tests/host/table_pool_test.cpp).
#pragma once

#include <cstddef>

#include "lib/types.h"

namespace ck::m68k {

enum class TableKind : u8 {
  Root,     // 128 entries
  Pointer,  // 128 entries
  Page,     // 64 entries (4 KiB pages), then 64 tags
};

inline constexpr u32 kBlockBytes = 256;
inline constexpr u32 kChunkBytes = 2 * kBlockBytes;

constexpr u32 table_bytes(TableKind) { return kChunkBytes; }
constexpr u32 table_entries(TableKind kind) { return kind == TableKind::Page ? 64 : 128; }
// Where a page table's tags start (in words from its first descriptor).
inline constexpr u32 kPageTagOffset = 64;

// Bookkeeping per 256-byte block, kept outside the tables so that a table in use holds
// nothing but descriptors. A free block holds its free-list links in its first two words.
struct TableBlock {
  u8 entries_in_use;  // valid descriptors in the table starting here (at most 128)
  u8 free;            // 1 while the block is on a free list
  u8 dirty;           // free, with words besides its links that may not be 0
};

// What a table given back holds: nothing but zeros (all descriptors and tags 0), or
// possibly something (cleared on its next allocation).
enum class TableContents : u8 { Zero, Dirty };

class TablePool {
 public:
  static constexpr u32 kNone = 0xffffffff;

  // `window` is where the kernel reads and writes the region whose physical address is
  // `base` (512-aligned; `bytes` is rounded down to a multiple of 512). `blocks` must
  // hold bytes/256 entries.
  void init(u32* window, PhysAddr base, u32 bytes, TableBlock* blocks);
  // Moves the kernel's view of the same memory (when the MMU comes on).
  void set_window(u32* window) {
    forget();
    window_ = window;
    bias_ = reinterpret_cast<usize>(window_) - base_.value();
  }
  static constexpr u32 metadata_bytes(u32 pool_bytes) { return pool_bytes / kBlockBytes * sizeof(TableBlock); }

  // A zeroed (all-invalid) table, or PhysAddr(0) when the pool is exhausted.
  PhysAddr allocate(TableKind kind);
  void release(PhysAddr table, TableKind kind, TableContents contents = TableContents::Dirty);

  // The descriptors of a table allocated from this pool.
  u32* entries(PhysAddr table) const { return reinterpret_cast<u32*>(bias_ + table.value()); }
  // The table whose descriptors are at `entries` (the inverse of entries()).
  PhysAddr table_at(const u32* entries) const {
    return PhysAddr(static_cast<u32>(reinterpret_cast<usize>(entries) - bias_));
  }
  u8& entries_in_use(PhysAddr table) { return blocks_[index_of(table)].entries_in_use; }
  bool contains(PhysAddr table) const { return table >= base_ && table - base_ < bytes_; }

  // The page table a walk found last: the one for `region` (the virtual address's top
  // 14 bits) in the space whose root is `root`. Loads, unloads and lookups of one space
  // mostly touch neighbouring pages, so the next walk usually takes no table reads.
  // Forgotten when any table is released or the window moves: never stale.
  u32* recall(PhysAddr root, u32 region) const {
    return last_.root == root && last_.region == region ? last_.pages : nullptr;
  }
  void remember(PhysAddr root, u32 region, u32* pages) {
    last_ = LastWalk{.root = root, .region = region, .pages = pages};
  }
  void forget() {
    last_ = LastWalk{};
    if (generation_ != kNoWalks) generation_ += 1;
  }
  // Changes whenever last_ is forgotten (a table released, the window moved): a walk
  // remembered with the same generation still finds the same descriptor's place
  // (entry.S's forward_card keeps one per thread). It stops at kNoWalks, with which no
  // walk is kept (it never comes round to an old one's).
  static constexpr u32 kNoWalks = 0xffffffff;
  const u32* generation_slot() const { return &generation_; }
  // The last walk as recall() reads it, for entry.S's load_fast: its root, region and
  // page table, a longword each (in the 68040 build, where pointers are 4 bytes).
  const u32* last_walk() const {
    static_assert(sizeof(void*) != 4 ||
                  (sizeof(LastWalk) == 12 && offsetof(LastWalk, region) == 4 && offsetof(LastWalk, pages) == 8));
    return reinterpret_cast<const u32*>(&last_);
  }

  u32 capacity_bytes() const { return bytes_; }
  u32 free_bytes() const { return free_blocks_ * kBlockBytes; }

 private:
  u32 index_of(PhysAddr table) const { return (table - base_) / kBlockBytes; }
  PhysAddr address_of(u32 index) const { return base_ + index * kBlockBytes; }

  u32& next_of(u32 index) const { return entries(address_of(index))[0]; }
  u32& prev_of(u32 index) const { return entries(address_of(index))[1]; }
  void push(u32& head, u32 index);
  u32 pop(u32& head);
  void unlink(u32& head, u32 index);
  void clear(u32 index, u32 count);
  bool zero(u32 index) const;

  struct LastWalk {
    PhysAddr root;  // 0: nothing remembered (no table is at 0)
    u32 region = 0;
    u32* pages = nullptr;
  };

  LastWalk last_;
  u32* window_ = nullptr;
  usize bias_ = 0;
  u32 generation_ = 0;  // the window's address less base_: a table's words at bias_ + its address
  PhysAddr base_;
  u32 bytes_ = 0;
  TableBlock* blocks_ = nullptr;
  u32 free_chunks_ = kNone;  // first blocks of free 512-byte chunks
  u32 free_blocks_ = 0;
};

}  // namespace ck::m68k
