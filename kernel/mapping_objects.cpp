// Page mappings (paper §2.1, §4.1, §4.3): a page-table entry in the address space's
// tables plus a physical-to-virtual record in the physical memory map (memory_map.h).
// Loads are checked against the kernel's page groups; a full map reclaims victims by
// clock, giving referenced pages a second chance. Each call: check (every argument,
// the page tables, records or victims whose writeback fits), then commit.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kMapFlags = CK_MAP_WRITE | CK_MAP_LOCK | CK_MAP_NOCACHE | CK_MAP_MESSAGE | CK_MAP_MODIFIED;
constexpr bool page_aligned(u32 a) { return (a & (arch::kPageBytes - 1)) == 0; }
}  // namespace

ck_status ObjectCaches::load_mapping(u32 caller, ObjectId space_id, VirtAddr va, PhysAddr pa, u32 flags,
                                     ObjectId signal_thread, bool written) {
  if ((flags & ~kMapFlags) != 0) return CK_E_ARGUMENT;
  if ((flags & (CK_MAP_MODIFIED | CK_MAP_WRITE)) == CK_MAP_MODIFIED) return CK_E_ARGUMENT;
  written = written || (flags & CK_MAP_MODIFIED) != 0;
  const bool message = (flags & CK_MAP_MESSAGE) != 0;
  if (signal_thread.raw() != 0 && !message) return CK_E_ARGUMENT;
  if (!page_aligned(va.value()) || !page_aligned(pa.value())) return CK_E_ADDRESS;
  u32 space;
  if (const ck_status s = tables_.find_space(space_id, &space); s != CK_OK) return s;
  const u32 owner = tables_.space(space).kernel;
  if (const ck_status s = tables_.check_owner(caller, owner); s != CK_OK) return s;
  u32 signal_slot = kNoSlot;
  if (signal_thread.raw() != 0) {
    if (const ck_status s = tables_.find_thread(signal_thread, &signal_slot); s != CK_OK) return s;
    // The signal thread is the space owner's (§2.2: the kernel receiving on the page).
    if (tables_.thread(signal_slot).kernel() != owner) return CK_E_NOT_OWNER;
  }
  const bool writable = (flags & CK_MAP_WRITE) != 0;
  // Both the loading kernel and the owner must hold the page (§4.3): one look when they
  // are the same kernel (the common case).
  if (!resources_.allows(caller, pa, writable) || (owner != caller && !resources_.allows(owner, pa, writable)))
    return CK_E_NO_RIGHTS;
  // One walk of the tables and one of the page's bucket, each kept for the change.
  arch::PageSlot slot;
  if (const ck_status s = map_.check_free(space, va, &slot); s != CK_OK) return s;
  PhysMap::Place place;
  if (const ck_status s =
          map_.check_sharing(pa, writable ? mapping_flag::kWritable : 0, signal_slot != kNoSlot, &place);
      s != CK_OK)
    return s;
  const bool lock = (flags & CK_MAP_LOCK) != 0;
  if (lock) {
    if (const ck_status s = resources_.can_lock(owner, CK_OBJECT_MAPPING); s != CK_OK) return s;
  }
  if (writeback_.must_drain(caller)) return CK_E_RETRY;
  // One record, and one more for the signal thread: free ones, or victims'.
  const u32 needed = signal_slot != kNoSlot ? 2 : 1;
  u32 victims[2] = {MemoryMap::kNone, MemoryMap::kNone};
  if (map_.free_records() < needed) {
    if (const ck_status s = replacement_.choose_mappings(needed - map_.free_records(), victims); s != CK_OK) return s;
  }

  // The translation is the last check (the page tables may be exhausted; then nothing
  // changed) and the first change: before the victims leave tables it may share.
  const u32 record_flags = (lock ? mapping_flag::kLocked : 0) | (writable ? mapping_flag::kWritable : 0) |
                           (message ? mapping_flag::kMessage : 0);
  const u32 free_before = arch::page_table_bytes_free();
  const u32 last_victim = victims[1] != MemoryMap::kNone ? victims[1] : victims[0];
  if (const ck_status s =
          map_.map(slot, space, va, pa, record_flags, (flags & CK_MAP_NOCACHE) == 0, written, last_victim);
      s != CK_OK)
    return s;
  // The tables it took are the owner's, within its quota (the owner pays, §4.3).
  const u32 table_bytes = free_before - arch::page_table_bytes_free();
  if (table_bytes != 0) {
    if (!resources_.tables_fit(owner, table_bytes)) {
      map_.unmap(space, va);
      return CK_E_NO_TABLES;
    }
    resources_.charge_tables(owner, table_bytes);
  }

  // The bucket walk's place holds while no victim has left, and is kept up to date for
  // one that takes its own record alone (the common victim: the new page's hash and
  // walk not taken again).
  const bool place_holds =
      victims[0] == MemoryMap::kNone || (victims[1] == MemoryMap::kNone && map_.place_after_drop(victims[0], &place));
  if (victims[0] != MemoryMap::kNone) {
    replacement_.drop_mapping(victims[0], CK_WB_RECLAIMED);
    if (victims[1] != MemoryMap::kNone) replacement_.drop_mapping(victims[1], CK_WB_RECLAIMED);
  }
  map_.record(space, va, pa, record_flags, signal_slot, place_holds ? &place : nullptr);
  if (lock) resources_.lock(owner, CK_OBJECT_MAPPING);
  return CK_OK;
}

// The common case of a mapping load (paper §5.3: the call application kernels make
// most): no lock, message page, signal thread or modified flag, and a free record, so no
// victim and no writeback. load_mapping's checks in its order with its answers, without
// the work of the cases plain_load_declined leaves to load_mapping (a pure test the
// caller makes first: a load that needs victims pays only it before load_mapping).
// `written` as load_mapping's (CK_LOAD_MAPPING_RESUME's faulted write).
[[gnu::flatten]] ck_status ObjectCaches::load_mapping_plain(u32 caller, ObjectId space_id, VirtAddr va, PhysAddr pa,
                                                            u32 flags, ObjectId signal_thread, bool written) {
  CK_ASSERT(!plain_load_declined(flags, signal_thread));  // the caller's first test
  if (!page_aligned(va.value() | pa.value())) return CK_E_ADDRESS;
  u32 space;
  if (const ck_status s = tables_.find_space(space_id, &space); s != CK_OK) return s;
  const u32 owner = tables_.space(space).kernel;
  if (const ck_status s = tables_.check_owner(caller, owner); s != CK_OK) return s;
  const bool writable = (flags & CK_MAP_WRITE) != 0;
  if (!resources_.allows(caller, pa, writable) || (owner != caller && !resources_.allows(owner, pa, writable)))
    return CK_E_NO_RIGHTS;
  arch::PageSlot slot;
  if (const ck_status s = map_.check_free(space, va, &slot); s != CK_OK) return s;
  const u32 record_flags = writable ? mapping_flag::kWritable : 0;
  PhysMap::Place place;
  if (const ck_status s = map_.check_sharing(pa, record_flags, false, &place); s != CK_OK) return s;
  if (writeback_.must_drain(caller)) return CK_E_RETRY;
  const u32 free_before = arch::page_table_bytes_free();
  if (const ck_status s =
          map_.map(slot, space, va, pa, record_flags, (flags & CK_MAP_NOCACHE) == 0, written, MemoryMap::kNone);
      s != CK_OK)
    return s;
  if (const u32 table_bytes = free_before - arch::page_table_bytes_free(); table_bytes != 0) {
    if (!resources_.tables_fit(owner, table_bytes)) {
      map_.unmap(space, va);
      return CK_E_NO_TABLES;
    }
    resources_.charge_tables(owner, table_bytes);
  }
  map_.record(space, va, pa, record_flags, kNoSlot, &place);
  return CK_OK;
}

ck_status ObjectCaches::unload_mapping(u32 caller, ObjectId space_id, VirtAddr va) {
  if (!page_aligned(va.value())) return CK_E_ADDRESS;
  u32 space;
  if (const ck_status s = tables_.find_space(space_id, &space); s != CK_OK) return s;
  if (const ck_status s = tables_.check_owner(caller, tables_.space(space).kernel); s != CK_OK) return s;
  const u32 record = map_.find(space, va);
  if (record == MemoryMap::kNone) return CK_E_NOT_MAPPED;
  const Mapping m = map_.mapping(record);
  if (writeback_.must_drain(caller) || !replacement_.mapping_fits(record, m)) return CK_E_RETRY;

  replacement_.drop_mapping(record, m, 0);
  return CK_OK;
}

ck_status ObjectCaches::unload_page(u32 caller, PhysAddr pa) {
  if (!page_aligned(pa.value())) return CK_E_ADDRESS;
  if (!resources_.allows(caller, pa, false)) return CK_E_NO_RIGHTS;
  if (writeback_.must_drain(caller)) return CK_E_RETRY;
  // One mapping at a time, each a step (a drop may flush others of the page).
  return replacement_.unload_page(
      pa, [&](const Mapping& m) { return tables_.check_owner(caller, tables_.space(m.space).kernel) == CK_OK; });
}

}  // namespace ck
