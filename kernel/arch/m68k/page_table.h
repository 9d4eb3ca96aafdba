// 68040 page tables for 4 KiB pages (MC68040 User's Manual §3.2; paper §4.1, §5.2):
// a 128-entry root table (URP/SRP) -> 128-entry pointer tables -> 64-entry page tables,
// each page table followed by a tag word per page (table_pool.h).
// Map, unmap and protect one page; read a page's used (referenced) and modified bits.
// Pure descriptor logic over a TablePool; ATC flushes are the caller's (mmu.cpp).
// Host-tested (tests/host/page_table_test.cpp).
#pragma once

#include "arch/m68k/table_pool.h"
#include "lib/types.h"

namespace ck::m68k {

inline constexpr u32 kPageBytes = 4096;

// Logical address split for 4 KiB pages: 7 + 7 + 6 index bits, 12 offset bits.
constexpr u32 root_index(VirtAddr va) { return va.value() >> 25; }
constexpr u32 pointer_index(VirtAddr va) { return (va.value() >> 18) & 0x7f; }
constexpr u32 page_index(VirtAddr va) { return (va.value() >> 12) & 0x3f; }

// Descriptor bits. Table descriptors (root, pointer): address | U | W | UDT.
// Page descriptors: address[31:12] | UR | G | U1 U0 | S | CM | M | U | W | PDT.
namespace descriptor {
inline constexpr u32 kResidentTable = 0b10;  // UDT 1x: the next-level table is resident
inline constexpr u32 kResidentPage = 0b01;   // PDT 01 (11 also means resident)
inline constexpr u32 kTypeMask = 0b11;
inline constexpr u32 kWriteProtect = 1u << 2;
inline constexpr u32 kUsed = 1u << 3;
inline constexpr u32 kModified = 1u << 4;
inline constexpr u32 kCacheShift = 5;
inline constexpr u32 kCacheMask = 3u << kCacheShift;
inline constexpr u32 kSupervisor = 1u << 7;
inline constexpr u32 kGlobal = 1u << 10;
// UR, free for software: "writable, modified bit kept by the kernel" (DirtyTracking).
inline constexpr u32 kSoftWritable = 1u << 11;
inline constexpr u32 kPointerTableMask = 0xfffffe00;  // root entries: 512-byte aligned
inline constexpr u32 kPageTableMask = 0xffffff00;     // pointer entries: 256-byte aligned
inline constexpr u32 kPageMask = 0xfffff000;

constexpr bool table_resident(u32 d) { return (d & 0b10) != 0; }
constexpr bool page_resident(u32 d) { return (d & kTypeMask) == 0b01 || (d & kTypeMask) == 0b11; }
}  // namespace descriptor

// The CM field of page descriptors and transparent-translation registers.
enum class CacheMode : u8 {
  WriteThrough = 0,
  CopyBack = 1,
  NoCacheSerialized = 2,  // I/O: accesses in program order, never cached
  NoCache = 3,
};

// Who keeps a page's modified (M) bit. The 68040 sets M itself on the first write
// through a descriptor. QEMU (7.2 up to at least 2026) does not when the page was read
// first: the read fills its TLB with write permission and later writes never walk the
// tables. With Software tracking a writable page starts write-protected, marked
// kSoftWritable; its first write faults and the kernel sets M and drops the protection
// (record_write), so M is right on any machine.
enum class DirtyTracking : u8 { Hardware, Software };

struct PageFlags {
  bool writable = false;
  bool supervisor = false;  // only supervisor accesses may use the page
  bool global = false;      // survives PFLUSHAN (address-space switches)
  CacheMode cache = CacheMode::CopyBack;
};

// A resident page descriptor for `pa` (inline: every map builds one).
constexpr u32 make_page_descriptor(PhysAddr pa, PageFlags flags, DirtyTracking dirty = DirtyTracking::Hardware) {
  using namespace descriptor;
  u32 d = (pa.value() & kPageMask) | kResidentPage | (static_cast<u32>(flags.cache) << kCacheShift);
  if (!flags.writable) {
    d |= kWriteProtect;
  } else if (dirty == DirtyTracking::Software) {
    d |= kWriteProtect | kSoftWritable;
  }
  if (flags.supervisor) d |= kSupervisor;
  if (flags.global) d |= kGlobal;
  return d;
}

// One page's translation as the tables hold it.
struct Translation {
  PhysAddr page;
  PageFlags flags;
  bool used = false;      // referenced since loaded (set by the MMU)
  bool modified = false;  // written since loaded (set by the MMU)
  u32 tag = 0;            // the word kept beside it (set_tag; 0 when mapped)
};

enum class MapStatus : u8 {
  Ok,
  Unaligned,      // the virtual or physical address is not page-aligned
  AlreadyMapped,  // map: the page has a translation (unmap it first)
  NotMapped,      // unmap/protect: the page has none
  OutOfTables,    // the table pool is exhausted; nothing changed
};

// Where one page's translation goes, as the walk that found the page free saw it: its
// descriptor in a page table that exists (null: there was none; map_at then adds
// tables as map() does) and the pool's generation then, which changes whenever a table
// is released (TablePool::forget), so that a place kept across other work is never
// stale: a load walks the tables once, to check the page is free and to fill it.
struct PageSlot {
  u32* descriptor = nullptr;
  u32 generation = TablePool::kNoWalks;
};

// The tables of one address space, by the physical address of their root table.
// Every operation changes the tables completely or not at all.
class PageTable {
 public:
  PageTable() = default;
  PageTable(TablePool* pool, PhysAddr root, DirtyTracking dirty = DirtyTracking::Hardware)
      : pool_(pool), root_(root), dirty_(dirty) {}

  // A new, empty address space; `valid()` is false when the pool is exhausted.
  static PageTable create(TablePool& pool, DirtyTracking dirty = DirtyTracking::Hardware);
  // Frees every table. The caller has dealt with the pages still mapped.
  void destroy();

  bool valid() const { return pool_ != nullptr && root_.value() != 0; }
  PhysAddr root() const { return root_; }

  // `tag` is kept beside the translation (set_tag). Inline: into a page table there
  // already (the one found last, mostly), it is a few instructions.
  MapStatus map(VirtAddr va, PhysAddr pa, PageFlags flags, u32 tag = 0) {
    if (((va.value() | pa.value()) & (kPageBytes - 1)) != 0) return MapStatus::Unaligned;
    u32* pages = page_table_for(va);
    if (pages == nullptr) return map_with_new_tables(va, pa, flags, tag);
    u32& page = pages[page_index(va)];
    if (descriptor::page_resident(page)) return MapStatus::AlreadyMapped;
    page = make_page_descriptor(pa, flags, dirty_);
    (&page)[kPageTagOffset] = tag;
    pool_->entries_in_use(pool_->table_at(pages)) += 1;
    return MapStatus::Ok;
  }
  // Whether `va`'s page (page-aligned) has no translation, and where its translation
  // would go (`*slot`, for map_at): one walk.
  bool find_free(VirtAddr va, PageSlot* slot) const {
    u32* pages = page_table_for(va);
    slot->generation = *pool_->generation_slot();
    slot->descriptor = pages == nullptr ? nullptr : &pages[page_index(va)];
    return pages == nullptr || !descriptor::page_resident(*slot->descriptor);
  }
  // map() at the place find_free gave for the same `va`, taking no walk when the page
  // table was there and none was released since (else map() itself). `written`: the
  // page goes in already used and modified (what record_write would make of it; a
  // write-protected page stays so).
  MapStatus map_at(const PageSlot& slot, VirtAddr va, PhysAddr pa, PageFlags flags, u32 tag, bool written) {
    if (slot.descriptor == nullptr || slot.generation == TablePool::kNoWalks ||
        slot.generation != *pool_->generation_slot() || ((va.value() | pa.value()) & (kPageBytes - 1)) != 0) {
      const MapStatus s = map(va, pa, flags, tag);
      if (s == MapStatus::Ok && written) record_write(va);
      return s;
    }
    u32& page = *slot.descriptor;
    if (descriptor::page_resident(page)) return MapStatus::AlreadyMapped;
    u32 d = make_page_descriptor(pa, flags, dirty_);
    if (written && (d & descriptor::kSoftWritable) != 0)
      d = (d & ~descriptor::kWriteProtect) | descriptor::kModified | descriptor::kUsed;
    page = d;
    (&page)[kPageTagOffset] = tag;
    pool_->entries_in_use(pool_->table_at(&page - page_index(va))) += 1;
    return MapStatus::Ok;
  }
  // Removes the translation, reporting its final state (used/modified bits) in `old`.
  MapStatus unmap(VirtAddr va, Translation* old);
  MapStatus protect(VirtAddr va, bool writable);
  bool lookup(VirtAddr va, Translation* out) const;
  // The page descriptor translating `va`'s page (its tag at kPageTagOffset words
  // further), or nullptr when the page is not mapped: one table walk.
  u32* page_descriptor(VirtAddr va) const { return find_page_descriptor(VirtAddr(va.value() & descriptor::kPageMask)); }
  // The physical page `va`'s page is mapped to (false: none).
  bool translate(VirtAddr va, PhysAddr* page) const {
    const u32* d = find_page_descriptor(VirtAddr(va.value() & descriptor::kPageMask));
    if (d == nullptr) return false;
    *page = PhysAddr(*d & descriptor::kPageMask);
    return true;
  }
  // Whether `va`'s page has a translation.
  bool mapped(VirtAddr va) const {
    return find_page_descriptor(VirtAddr(va.value() & descriptor::kPageMask)) != nullptr;
  }
  // Keeps `tag` beside the page's translation (in its page table's second half, which
  // the MMU never reads): the portable kernel's index of the mapping. False when the
  // page is not mapped.
  bool set_tag(VirtAddr va, u32 tag);
  // Clears the used and modified bits, returning what they were.
  MapStatus clear_usage(VirtAddr va, Translation* before);
  // Clears the used bit only (the replacement clock's second chance); true when it was
  // set, false when it was clear or the page is not mapped.
  bool clear_used(VirtAddr va);
  // The lowest mapped page at or above `from`, in `*va`; false when there is none.
  bool next_mapped(VirtAddr from, VirtAddr* va) const;
  // A write was refused at `va`: if the page is writable under software dirty tracking,
  // record the write (M and U set, protection dropped) and return true: the access may
  // be retried. False means a genuine protection fault.
  bool record_write(VirtAddr va);
  // The kernel read `va` on a user thread's behalf: set its used bit (false when not mapped).
  bool mark_used(VirtAddr va);
  // The kernel wrote to `va` on a user thread's behalf (bypassing the MMU): if user mode
  // may write the page, set its used and modified bits and return true.
  bool mark_modified(VirtAddr va);

 private:
  // The page table that holds `va`'s descriptor (its words), or null: the pool's last
  // walk when it was this one, else a walk from the root (then remembered).
  // (The pool's last walk inline: every load, unload and lookup asks.)
  u32* page_table_for(VirtAddr va) const {
    if (u32* pages = pool_->recall(root_, va.value() >> 18); pages != nullptr) return pages;
    return walk_to_page_table(va);
  }
  u32* walk_to_page_table(VirtAddr va) const;
  u32* find_page_descriptor(VirtAddr va) const {
    u32* pages = page_table_for(va);
    if (pages == nullptr) return nullptr;
    u32* page = &pages[page_index(va)];
    return descriptor::page_resident(*page) ? page : nullptr;
  }
  // map() when `va` needs a new page table (and maybe a pointer table).
  MapStatus map_with_new_tables(VirtAddr va, PhysAddr pa, PageFlags flags, u32 tag);

  TablePool* pool_ = nullptr;
  PhysAddr root_;
  DirtyTracking dirty_ = DirtyTracking::Hardware;
};

// A transparent-translation register (ITTn/DTTn) value giving the supervisor alone
// untranslated access to [base, end) (end 0: to the top of memory), rounded up to the
// 16 MiB granules the registers match (base must be aligned to the result).
u32 transparent_translation(u32 base, u32 end, CacheMode mode);
Translation decode_page_descriptor(u32 d);

}  // namespace ck::m68k
