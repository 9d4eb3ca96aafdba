// Page mappings (paper §2.1, §4.1, §4.3): a page-table entry in the address space's
// tables plus a physical-to-virtual record in the physical memory map. Loads are
// checked against the kernel's page groups; a full map reclaims a victim by clock,
// giving referenced pages a second chance.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kMapFlags = CK_MAP_WRITE | CK_MAP_LOCK | CK_MAP_NOCACHE | CK_MAP_MESSAGE;
constexpr bool page_aligned(u32 a) { return (a & (arch::kPageBytes - 1)) == 0; }

u16 writeback_flags(const arch::PageState& s, u32 dependent) {
  return static_cast<u16>((s.used ? CK_WB_REFERENCED : 0) | (s.modified ? CK_WB_MODIFIED : 0) |
                          (s.writable ? CK_WB_WRITABLE : 0) |
                          ((dependent & mapping_record::kLocked) != 0 ? CK_WB_LOCKED : 0));
}
}  // namespace

u32 ObjectCaches::find_mapping_record(u32 space, VirtAddr va, PhysAddr pa) const {
  u32 found = PhysMap::kNone;
  const_cast<PhysMap&>(physmap_).for_each(pa.value(), [&](u32 index, const DependencyRecord& r) {
    if (r.context == space && (r.dependent & ~mapping_record::kFlagMask) == va.value()) found = index;
  });
  return found;
}

void ObjectCaches::drop_mapping(u32 space, VirtAddr va, u32 record, u16 flags) {
  const u32 dependent = physmap_.record(record).dependent;
  arch::PageState state;
  arch::unmap_page(spaces_[space].tables.tables, va, &state);
  u32 signal_thread = 0;
  const bool signals = (dependent & mapping_record::kSignal) != 0;
  if (signals) {
    signal_thread = threads_.id_of(drop_signal_record(record)).raw();
    flags |= CK_WB_SIGNAL;
  }
  physmap_.remove(record);
  spaces_[space].mappings -= 1;
  if ((dependent & mapping_record::kLocked) != 0) release_lock(spaces_[space].kernel, CK_OBJECT_MAPPING);
  write_back_mapping(space, va, state.page, static_cast<u16>(flags | writeback_flags(state, dependent)), signal_thread);
  // Multi-mapping consistency (§4.2): a sender must not write on with no receiver.
  if (signals) flush_writable(state.page);
}

void ObjectCaches::drop_mapping_at(u32 space, VirtAddr va, u16 flags) {
  arch::PageState state;
  arch::lookup_page(spaces_[space].tables.tables, va, &state);
  drop_mapping(space, va, find_mapping_record(space, va, state.page), flags);
}

bool ObjectCaches::reclaim_mapping(ck_status* status) {
  // Two turns of the clock: the first may only clear used bits.
  bool ring_full = false;
  for (u32 n = 0; n < 2 * kMappingCapacity; ++n) {
    const u32 i = mapping_hand_;
    mapping_hand_ = (mapping_hand_ + 1) % kMappingCapacity;
    if (!physmap_.in_use(i)) continue;
    const DependencyRecord r = physmap_.record(i);
    if (r.context >= kSpaceCapacity || mapping_pinned(i)) continue;  // a signal record, or pinned
    const SpaceObject& s = spaces_[r.context];
    const VirtAddr va(r.dependent & ~mapping_record::kFlagMask);
    arch::PageState state;
    if (arch::lookup_page(s.tables.tables, va, &state) && state.used) {
      arch::clear_page_used(s.tables.tables, va);
      continue;
    }
    if (!mapping_drop_room(i)) {
      ring_full = true;
      continue;
    }
    drop_mapping(r.context, va, i, CK_WB_RECLAIMED);
    return true;
  }
  *status = ring_full ? CK_E_RETRY : CK_E_NO_DESCRIPTOR;
  return false;
}

ck_status ObjectCaches::load_mapping(u32 caller, ObjectId space_id, VirtAddr va, PhysAddr pa, u32 flags,
                                     ObjectId signal_thread) {
  if ((flags & ~kMapFlags) != 0) return CK_E_ARGUMENT;
  const bool message = (flags & CK_MAP_MESSAGE) != 0;
  if (signal_thread.raw() != 0 && !message) return CK_E_ARGUMENT;
  if (!page_aligned(va.value()) || !page_aligned(pa.value())) return CK_E_ADDRESS;
  u32 space;
  if (const ck_status s = find_space(space_id, &space); s != CK_OK) return s;
  SpaceObject& sp = spaces_[space];
  if (const ck_status s = check_owner(caller, sp.kernel); s != CK_OK) return s;
  u32 signal_slot = kNoSlot;
  if (signal_thread.raw() != 0) {
    if (const ck_status s = find_thread(signal_thread, &signal_slot); s != CK_OK) return s;
    // The signal thread is the space owner's (§2.2: the kernel receiving on the page).
    if (threads_[signal_slot].kernel != sp.kernel) return CK_E_NOT_OWNER;
  }
  const bool writable = (flags & CK_MAP_WRITE) != 0;
  // Both the loading kernel and the owner must hold the page (§4.3).
  if (!kernels_[caller].rights.allows(pa, writable) || !kernels_[sp.kernel].rights.allows(pa, writable))
    return CK_E_NO_RIGHTS;
  arch::PageState existing;
  if (arch::lookup_page(sp.tables.tables, va, &existing)) return CK_E_ALREADY_MAPPED;
  const bool lock = (flags & CK_MAP_LOCK) != 0;
  if (lock) {
    if (const ck_status s = charge_lock(sp.kernel, CK_OBJECT_MAPPING); s != CK_OK) return s;
  }
  // One record, and one more for the signal thread.
  const u32 records = signal_slot != kNoSlot ? 2 : 1;
  ck_status s = CK_OK;
  while (physmap_.capacity() - physmap_.used() < records) {
    if (reclaim_mapping(&s)) continue;
    if (lock) release_lock(sp.kernel, CK_OBJECT_MAPPING);
    return s;
  }
  const arch::MapStatus m = arch::map_page(sp.tables.tables, va, pa, writable, (flags & CK_MAP_NOCACHE) == 0);
  if (m != arch::MapStatus::Ok) {
    if (lock) release_lock(sp.kernel, CK_OBJECT_MAPPING);
    return m == arch::MapStatus::OutOfTables ? CK_E_NO_TABLES : CK_E_ADDRESS;
  }
  const u32 dependent = va.value() | (lock ? mapping_record::kLocked : 0) | (writable ? mapping_record::kWritable : 0) |
                        (message ? mapping_record::kMessage : 0) |
                        (signal_slot != kNoSlot ? mapping_record::kSignal : 0);
  const u32 record = physmap_.insert(pa.value(), dependent, space);
  sp.mappings += 1;
  if (signal_slot != kNoSlot) add_signal_record(record, signal_slot);
  return CK_OK;
}

ck_status ObjectCaches::unload_mapping(u32 caller, ObjectId space_id, VirtAddr va) {
  if (!page_aligned(va.value())) return CK_E_ADDRESS;
  u32 space;
  if (const ck_status s = find_space(space_id, &space); s != CK_OK) return s;
  const SpaceObject& sp = spaces_[space];
  if (const ck_status s = check_owner(caller, sp.kernel); s != CK_OK) return s;
  arch::PageState state;
  if (!arch::lookup_page(sp.tables.tables, va, &state)) return CK_E_NOT_MAPPED;
  const u32 record = find_mapping_record(space, va, state.page);
  if (!mapping_drop_room(record)) return CK_E_RETRY;
  drop_mapping(space, va, record, 0);
  return CK_OK;
}

ck_status ObjectCaches::unload_page(u32 caller, PhysAddr pa) {
  if (!page_aligned(pa.value())) return CK_E_ADDRESS;
  if (!kernels_[caller].rights.allows(pa, false)) return CK_E_NO_RIGHTS;
  // One mapping at a time (a drop may flush others of the page): a full ring stops the
  // walk with what is done so far done.
  for (;;) {
    u32 target = PhysMap::kNone;
    physmap_.for_each(pa.value(), [&](u32 index, const DependencyRecord& r) {
      if (target == PhysMap::kNone && r.context < kSpaceCapacity &&
          check_owner(caller, spaces_[r.context].kernel) == CK_OK)
        target = index;
    });
    if (target == PhysMap::kNone) return CK_OK;
    if (!mapping_drop_room(target)) return CK_E_RETRY;
    const DependencyRecord r = physmap_.record(target);
    drop_mapping(r.context, VirtAddr(r.dependent & ~mapping_record::kFlagMask), target, 0);
  }
}

}  // namespace ck
