// Kernel objects (paper §2.4, §4.3): an application kernel's handler, writeback ring
// and resources. Only the first kernel (the SRM) loads, unloads and modifies them;
// unloading one unloads its address spaces, and with them its threads and mappings.
// Each call: check (every argument, a slot or a victim whose writeback fits), then
// commit.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kMaxRingBytes = 64 * KiB;
}  // namespace

ck_status ObjectCaches::load_kernel(u32 caller, const ck_kernel_desc& desc, ObjectId* id) {
  const u32 srm = tables_.first_kernel();
  if (caller != srm) return CK_E_NOT_SRM;
  if ((desc.flags & ~(CK_LOCK | CK_KERNEL_KEEP_RING | CK_KERNEL_HANDLER_NO_FPU | CK_KERNEL_HOME_PAGED)) != 0)
    return CK_E_ARGUMENT;
  const u32 ring = desc.writeback_ring, bytes = desc.ring_bytes;
  if ((ring & (arch::kPageBytes - 1)) != 0 || bytes == 0 || bytes > kMaxRingBytes ||
      (bytes & (arch::kPageBytes - 1)) != 0 || ring + bytes < ring)
    return CK_E_ADDRESS;
  // The ring is memory the first kernel gives the new one.
  for (u32 page = 0; page < bytes; page += arch::kPageBytes)
    if (!resources_.allows(srm, PhysAddr(ring + page), true)) return CK_E_NO_RIGHTS;
  // And no loaded kernel's ring, the first kernel's included.
  if (writeback_.in_use(PhysAddr(ring), bytes)) return CK_E_BUSY;
  const bool lock = (desc.flags & CK_LOCK) != 0;
  if (lock) {
    if (const ck_status s = resources_.can_lock(srm, CK_OBJECT_KERNEL); s != CK_OK) return s;
  }
  WritebackPlan plan(writeback_);
  u32 victim = kNoSlot;
  if (!tables_.has_free_kernel()) {
    ck_status s = CK_OK;
    bool large = false;
    if ((victim = replacement_.choose_kernel(caller, plan, &s, &large)) == kNoSlot) return s;
    // A victim too large for one call leaves over several (CK_E_PARTIAL, as for spaces).
    if (large) return replacement_.reclaim_kernel(victim);
  }

  if (victim != kNoSlot) replacement_.drop_kernel(victim, CK_WB_RECLAIMED);
  const u32 slot =
      tables_.add_kernel(VirtAddr(desc.handler), desc.cookie, lock, (desc.flags & CK_KERNEL_HANDLER_NO_FPU) != 0,
                         (desc.flags & CK_KERNEL_HOME_PAGED) != 0);
  if (lock) resources_.lock(srm, CK_OBJECT_KERNEL);
  resources_.grant_nothing(slot);
  scheduler_.admit_kernel(slot, 0, 0);
  *id = tables_.kernels().id_of(slot);
  writeback_.attach(slot, id->raw(), desc.cookie, PhysAddr(ring), bytes, (desc.flags & CK_KERNEL_KEEP_RING) != 0);
  return CK_OK;
}

ck_status ObjectCaches::unload_kernel(u32 caller, ObjectId id) {
  if (caller != tables_.first_kernel()) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = tables_.find_kernel(id, &slot); s != CK_OK) return s;
  if (slot == tables_.first_kernel()) return CK_E_BUSY;
  return replacement_.unload_kernel(slot, 0);
}

ck_status ObjectCaches::set_memory_access(u32 caller, ObjectId id, PhysAddr base, u32 bytes, u32 rights) {
  if (caller != tables_.first_kernel()) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = tables_.find_kernel(id, &slot); s != CK_OK) return s;
  if (rights != CK_RIGHTS_NONE && rights != CK_RIGHTS_READ && rights != CK_RIGHTS_READ_WRITE) return CK_E_ARGUMENT;
  if (!resources_.plan_rights(slot, base, bytes, static_cast<Rights>(rights))) return CK_E_ADDRESS;
  // Rights reach only the memory the Cache Kernel gave away (revoking reaches anything).
  if (rights != CK_RIGHTS_NONE && !resources_.grantable(base, bytes)) return CK_E_NO_RIGHTS;
  // The PROM table's groups are readable by any kernel the first kernel lets, writable by none.
  if (rights == CK_RIGHTS_READ_WRITE && resources_.touches_read_only(base, bytes)) return CK_E_NO_RIGHTS;
  // Mappings the new rights no longer allow leave the cache (written back) first: all
  // of them, or, when the rings cannot take them all, none and CK_E_RETRY.
  const PageGroups& planned = resources_.planned();
  auto revoked = [&](u32 record) {
    if (!map_.is_mapping(record)) return false;
    const Mapping m = map_.mapping(record);
    return tables_.space(m.space).kernel == slot && !planned.allows(m.pa, m.has(mapping_flag::kWritable));
  };
  // Read-write takes nothing away: no mapping to look for (the scan below visits every
  // record, about 1.8 million instructions with interrupts masked).
  const bool may_revoke = rights != CK_RIGHTS_READ_WRITE && tables_.kernel(slot).spaces != 0;
  WritebackPlan plan(writeback_);
  for (u32 i = 0; may_revoke && i < map_.capacity(); ++i)
    if (revoked(i) && !replacement_.plan_mapping(i, plan)) return CK_E_RETRY;

  for (u32 i = 0; may_revoke && i < map_.capacity(); ++i)
    if (revoked(i)) replacement_.drop_mapping(i, 0);
  resources_.commit_rights(slot);
  return CK_OK;
}

ck_status ObjectCaches::set_cpu(u32 caller, ObjectId id, u32 percent, u32 max_priority) {
  if (caller != tables_.first_kernel()) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = tables_.find_kernel(id, &slot); s != CK_OK) return s;
  if (percent < 1 || percent > 100 || max_priority > kMaxPriority) return CK_E_ARGUMENT;

  scheduler_.set_share(slot, percent, max_priority);
  return CK_OK;
}

ck_status ObjectCaches::set_lock_quota(u32 caller, ObjectId id, u32 type, u32 count) {
  if (caller != tables_.first_kernel()) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = tables_.find_kernel(id, &slot); s != CK_OK) return s;
  if (type == CK_QUOTA_PAGE_TABLES) {
    resources_.set_table_quota(slot, count);
    return CK_OK;
  }
  if (type >= kObjectTypes || count > 0xffff) return CK_E_ARGUMENT;

  resources_.set_quota(slot, static_cast<ck_object_type>(type), static_cast<u16>(count));
  return CK_OK;
}

ck_status ObjectCaches::kernel_stats(u32 caller, ObjectId id, u32 self_kernel, ck_kernel_stats* out) const {
  u32 slot = self_kernel;
  if (id.raw() != 0) {
    if (const ck_status s = tables_.find_kernel(id, &slot); s != CK_OK) return s;
  }
  if (const ck_status s = tables_.check_owner(caller, slot); s != CK_OK) return s;

  *out = scheduler_.kernel_stats(slot);
  return CK_OK;
}

}  // namespace ck
