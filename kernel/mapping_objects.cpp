// Page mappings (paper §2.1, §4.1, §4.3): a page-table entry in the address space's
// tables plus a physical-to-virtual record in the physical memory map. Loads are
// checked against the kernel's page groups; a full map reclaims a victim by clock,
// giving referenced pages a second chance.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kMapFlags = CK_MAP_WRITE | CK_MAP_LOCK | CK_MAP_NOCACHE;
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
  physmap_.remove(record);
  spaces_[space].mappings -= 1;
  if ((dependent & mapping_record::kLocked) != 0) release_lock(spaces_[space].kernel, CK_OBJECT_MAPPING);
  write_back_mapping(space, va, state.page, static_cast<u16>(flags | writeback_flags(state, dependent)));
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
    if (mapping_pinned(r)) continue;
    const SpaceObject& s = spaces_[r.context];
    const VirtAddr va(r.dependent & ~mapping_record::kFlagMask);
    arch::PageState state;
    if (arch::lookup_page(s.tables.tables, va, &state) && state.used) {
      arch::clear_page_used(s.tables.tables, va);
      continue;
    }
    if (!ring_of(s.kernel).room().take(1)) {
      ring_full = true;
      continue;
    }
    drop_mapping(r.context, va, i, CK_WB_RECLAIMED);
    return true;
  }
  *status = ring_full ? CK_E_RETRY : CK_E_NO_DESCRIPTOR;
  return false;
}

ck_status ObjectCaches::load_mapping(u32 caller, ObjectId space_id, VirtAddr va, PhysAddr pa, u32 flags) {
  if ((flags & ~kMapFlags) != 0) return CK_E_ARGUMENT;
  if (!page_aligned(va.value()) || !page_aligned(pa.value())) return CK_E_ADDRESS;
  u32 space;
  if (const ck_status s = find_space(space_id, &space); s != CK_OK) return s;
  SpaceObject& sp = spaces_[space];
  if (const ck_status s = check_owner(caller, sp.kernel); s != CK_OK) return s;
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
  ck_status s = CK_OK;
  if (physmap_.used() == physmap_.capacity() && !reclaim_mapping(&s)) {
    if (lock) release_lock(sp.kernel, CK_OBJECT_MAPPING);
    return s;
  }
  const arch::MapStatus m = arch::map_page(sp.tables.tables, va, pa, writable, (flags & CK_MAP_NOCACHE) == 0);
  if (m != arch::MapStatus::Ok) {
    if (lock) release_lock(sp.kernel, CK_OBJECT_MAPPING);
    return m == arch::MapStatus::OutOfTables ? CK_E_NO_TABLES : CK_E_ADDRESS;
  }
  const u32 dependent = va.value() | (lock ? mapping_record::kLocked : 0) | (writable ? mapping_record::kWritable : 0);
  physmap_.insert(pa.value(), dependent, space);
  sp.mappings += 1;
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
  if (!ring_of(sp.kernel).room().take(1)) return CK_E_RETRY;
  drop_mapping_at(space, va, 0);
  return CK_OK;
}

ck_status ObjectCaches::unload_page(u32 caller, PhysAddr pa) {
  if (!page_aligned(pa.value())) return CK_E_ADDRESS;
  if (!kernels_[caller].rights.allows(pa, false)) return CK_E_NO_RIGHTS;
  // One mapping at a time: a full ring stops the walk with what is done so far done.
  ck_status status = CK_OK;
  physmap_.for_each(pa.value(), [&](u32 index, const DependencyRecord& r) {
    if (status != CK_OK || r.context >= kSpaceCapacity) return;
    const u32 owner = spaces_[r.context].kernel;
    if (check_owner(caller, owner) != CK_OK) return;
    if (!ring_of(owner).room().take(1)) {
      status = CK_E_RETRY;
      return;
    }
    drop_mapping(r.context, VirtAddr(r.dependent & ~mapping_record::kFlagMask), index, 0);
  });
  return status;
}

}  // namespace ck
