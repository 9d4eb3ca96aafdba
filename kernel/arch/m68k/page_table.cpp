// 68040 page tables (page_table.h).
#include "arch/m68k/page_table.h"

#include "assert.h"

namespace ck::m68k {

namespace {

constexpr bool page_aligned(u32 a) { return (a & (kPageBytes - 1)) == 0; }

constexpr u32 kTtEnable = 1u << 15;
constexpr u32 kTtSupervisorOnly = 1u << 13;  // S field 01

PhysAddr pointer_table_of(u32 root_entry) { return PhysAddr(root_entry & descriptor::kPointerTableMask); }
PhysAddr page_table_of(u32 pointer_entry) { return PhysAddr(pointer_entry & descriptor::kPageTableMask); }

}  // namespace

Translation decode_page_descriptor(u32 d) {
  using namespace descriptor;
  return Translation{
      .page = PhysAddr(d & kPageMask),
      .flags = PageFlags{.writable = (d & kWriteProtect) == 0 || (d & kSoftWritable) != 0,
                         .supervisor = (d & kSupervisor) != 0,
                         .global = (d & kGlobal) != 0,
                         .cache = static_cast<CacheMode>((d & kCacheMask) >> kCacheShift)},
      .used = (d & kUsed) != 0,
      .modified = (d & kModified) != 0,
  };
}

PageTable PageTable::create(TablePool& pool, DirtyTracking dirty) {
  const PhysAddr root = pool.allocate(TableKind::Root);
  if (root.value() == 0) return PageTable();
  return PageTable(&pool, root, dirty);
}

void PageTable::destroy() {
  if (!valid()) return;
  // Only as far as the counts say tables are in use: an empty space's root is not
  // scanned, and tables left empty go back as zero (the next allocation clears none).
  u32* root = pool_->entries(root_);
  for (u32 r = 0, left = pool_->entries_in_use(root_); left != 0 && r < table_entries(TableKind::Root); ++r) {
    if (!descriptor::table_resident(root[r])) continue;
    left -= 1;
    const PhysAddr pointer_table = pointer_table_of(root[r]);
    const u32* pointers = pool_->entries(pointer_table);
    for (u32 p = 0, pages = pool_->entries_in_use(pointer_table); pages != 0 && p < table_entries(TableKind::Pointer);
         ++p) {
      if (!descriptor::table_resident(pointers[p])) continue;
      pages -= 1;
      pool_->release(page_table_of(pointers[p]), TableKind::Page);
    }
    pool_->release(pointer_table, TableKind::Pointer);
  }
  const bool empty = pool_->entries_in_use(root_) == 0;
  pool_->release(root_, TableKind::Root, empty ? TableContents::Zero : TableContents::Dirty);
  *this = PageTable();
}

u32* PageTable::walk_to_page_table(VirtAddr va) const {
  const u32 root_entry = pool_->entries(root_)[root_index(va)];
  if (!descriptor::table_resident(root_entry)) return nullptr;
  const u32 pointer_entry = pool_->entries(pointer_table_of(root_entry))[pointer_index(va)];
  if (!descriptor::table_resident(pointer_entry)) return nullptr;
  u32* pages = pool_->entries(page_table_of(pointer_entry));
  pool_->remember(root_, va.value() >> 18, pages);
  return pages;
}

MapStatus PageTable::map_with_new_tables(VirtAddr va, PhysAddr pa, PageFlags flags, u32 tag) {
  u32* root = pool_->entries(root_);
  u32& root_entry = root[root_index(va)];

  // Allocate whatever tables are missing before changing anything, so that running out
  // of table memory leaves the tables as they were.
  PhysAddr new_pointer_table;
  u32* pointer_entry = nullptr;
  if (descriptor::table_resident(root_entry)) {
    pointer_entry = &pool_->entries(pointer_table_of(root_entry))[pointer_index(va)];
  } else {
    new_pointer_table = pool_->allocate(TableKind::Pointer);
    if (new_pointer_table.value() == 0) return MapStatus::OutOfTables;
  }
  const PhysAddr page_table = pool_->allocate(TableKind::Page);
  if (page_table.value() == 0) {
    if (new_pointer_table.value() != 0) pool_->release(new_pointer_table, TableKind::Pointer, TableContents::Zero);
    return MapStatus::OutOfTables;
  }

  // Link the new tables in, bottom-up counts, then the page descriptor.
  if (new_pointer_table.value() != 0) {
    root_entry = new_pointer_table.value() | descriptor::kResidentTable;
    pool_->entries_in_use(root_) += 1;
    pointer_entry = &pool_->entries(new_pointer_table)[pointer_index(va)];
  }
  *pointer_entry = page_table.value() | descriptor::kResidentTable;
  pool_->entries_in_use(pointer_table_of(root_entry)) += 1;
  u32* pages = pool_->entries(page_table);
  pages[page_index(va)] = make_page_descriptor(pa, flags, dirty_);
  pages[kPageTagOffset + page_index(va)] = tag;
  pool_->entries_in_use(page_table) += 1;
  pool_->remember(root_, va.value() >> 18, pages);
  return MapStatus::Ok;
}

MapStatus PageTable::unmap(VirtAddr va, Translation* old) {
  if (!page_aligned(va.value())) return MapStatus::Unaligned;
  u32* pages = page_table_for(va);
  if (pages == nullptr) return MapStatus::NotMapped;
  u32& page = pages[page_index(va)];
  if (!descriptor::page_resident(page)) return MapStatus::NotMapped;

  if (old != nullptr) *old = decode_page_descriptor(page);
  page = 0;
  (&page)[kPageTagOffset] = 0;
  // Tables left empty go back to the pool, so an address space holds only what its
  // loaded mappings need; they hold nothing but zeros then.
  const PhysAddr page_table = pool_->table_at(pages);
  if (--pool_->entries_in_use(page_table) != 0) return MapStatus::Ok;
  u32& root_entry = pool_->entries(root_)[root_index(va)];
  const PhysAddr pointer_table = pointer_table_of(root_entry);
  u32& pointer_entry = pool_->entries(pointer_table)[pointer_index(va)];
  CK_ASSERT(page_table_of(pointer_entry) == page_table);
  pointer_entry = 0;
  pool_->release(page_table, TableKind::Page, TableContents::Zero);
  if (--pool_->entries_in_use(pointer_table) != 0) return MapStatus::Ok;
  root_entry = 0;
  pool_->release(pointer_table, TableKind::Pointer, TableContents::Zero);
  pool_->entries_in_use(root_) -= 1;
  return MapStatus::Ok;
}

MapStatus PageTable::protect(VirtAddr va, bool writable) {
  if (!page_aligned(va.value())) return MapStatus::Unaligned;
  u32* page = find_page_descriptor(va);
  if (page == nullptr) return MapStatus::NotMapped;
  using namespace descriptor;
  if (!writable) {
    *page = (*page | kWriteProtect) & ~kSoftWritable;
  } else if (dirty_ == DirtyTracking::Hardware || (*page & kModified) != 0) {
    *page = (*page & ~kWriteProtect) | (dirty_ == DirtyTracking::Software ? kSoftWritable : 0);
  } else {
    *page |= kWriteProtect | kSoftWritable;  // the next write records M
  }
  return MapStatus::Ok;
}

bool PageTable::lookup(VirtAddr va, Translation* out) const {
  const u32* page = find_page_descriptor(VirtAddr(va.value() & descriptor::kPageMask));
  if (page == nullptr) return false;
  *out = decode_page_descriptor(*page);
  out->tag = page[kPageTagOffset];
  return true;
}

bool PageTable::set_tag(VirtAddr va, u32 tag) {
  u32* page = find_page_descriptor(VirtAddr(va.value() & descriptor::kPageMask));
  if (page == nullptr) return false;
  page[kPageTagOffset] = tag;
  return true;
}

MapStatus PageTable::clear_usage(VirtAddr va, Translation* before) {
  if (!page_aligned(va.value())) return MapStatus::Unaligned;
  u32* page = find_page_descriptor(va);
  if (page == nullptr) return MapStatus::NotMapped;
  if (before != nullptr) *before = decode_page_descriptor(*page);
  *page &= ~(descriptor::kUsed | descriptor::kModified);
  // Under software tracking, the next write must fault again to set M.
  if ((*page & descriptor::kSoftWritable) != 0) *page |= descriptor::kWriteProtect;
  return MapStatus::Ok;
}

bool PageTable::clear_used(VirtAddr va) {
  u32* page = find_page_descriptor(VirtAddr(va.value() & descriptor::kPageMask));
  if (page == nullptr || (*page & descriptor::kUsed) == 0) return false;
  *page &= ~descriptor::kUsed;
  return true;
}

bool PageTable::next_mapped(VirtAddr from, VirtAddr* va) const {
  // Walk the tree from `from`, skipping absent tables whole.
  const u32* root = pool_->entries(root_);
  u32 r = root_index(from), p = pointer_index(from), g = page_index(from);
  for (; r < table_entries(TableKind::Root); ++r, p = 0, g = 0) {
    if (!descriptor::table_resident(root[r])) continue;
    const u32* pointers = pool_->entries(pointer_table_of(root[r]));
    for (; p < table_entries(TableKind::Pointer); ++p, g = 0) {
      if (!descriptor::table_resident(pointers[p])) continue;
      const u32* pages = pool_->entries(page_table_of(pointers[p]));
      for (; g < table_entries(TableKind::Page); ++g) {
        if (!descriptor::page_resident(pages[g])) continue;
        *va = VirtAddr(r << 25 | p << 18 | g << 12);
        return true;
      }
    }
  }
  return false;
}

bool PageTable::mark_used(VirtAddr va) {
  u32* page = find_page_descriptor(VirtAddr(va.value() & descriptor::kPageMask));
  if (page == nullptr) return false;
  *page |= descriptor::kUsed;
  return true;
}

bool PageTable::record_write(VirtAddr va) {
  using namespace descriptor;
  u32* page = find_page_descriptor(VirtAddr(va.value() & kPageMask));
  if (page == nullptr || (*page & kSoftWritable) == 0 || (*page & kWriteProtect) == 0) return false;
  *page = (*page & ~kWriteProtect) | kModified | kUsed;
  return true;
}

u32 transparent_translation(u32 base, u32 end, CacheMode mode) {
  // Address bits 31-24 are compared with the base where the mask bit is 0: cover
  // [base, end) with the smallest power-of-two number of 16 MiB units.
  const u32 units = ((end - base - 1) >> 24) + 1;
  u32 mask = 0;
  while (mask + 1 < units) mask = mask << 1 | 1;
  return (base & 0xff000000) | mask << 16 | kTtEnable | kTtSupervisorOnly | static_cast<u32>(mode) << 5;
}

bool PageTable::mark_modified(VirtAddr va) {
  using namespace descriptor;
  u32* page = find_page_descriptor(VirtAddr(va.value() & kPageMask));
  if (page == nullptr || (*page & kSupervisor) != 0) return false;
  if ((*page & kWriteProtect) != 0 && (*page & kSoftWritable) == 0) return false;
  *page = (*page & ~kWriteProtect) | kModified | kUsed;
  return true;
}

}  // namespace ck::m68k
