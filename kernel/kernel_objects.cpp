// Kernel objects (paper §2.4, §4.3): an application kernel's handler, writeback ring
// and resources. Only the first kernel (the SRM) loads, unloads and modifies them;
// unloading one unloads its address spaces, and with them its threads and mappings.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kMaxRingBytes = 64 * KiB;
}  // namespace

ck_status ObjectCaches::drop_kernel(u32 slot, u16 flags) {
  // Its objects say why they left: the SRM reloads a displaced kernel's own (§3).
  for (u32 s = 0; s < kSpaceCapacity; ++s) {
    if (!spaces_.loaded(s) || spaces_[s].kernel != slot) continue;
    if (const ck_status st = drop_space(s, static_cast<u16>(flags | CK_WB_KERNEL_GONE)); st != CK_OK) return st;
  }
  if (!ring_of(srm_).room().take(1)) return CK_E_RETRY;
  write_back_kernel(slot, flags);
  if (kernels_.locked(slot)) release_lock(srm_, CK_OBJECT_KERNEL);
  kernels_.release(slot);
  return CK_OK;
}

u32 ObjectCaches::reclaim_kernel(u32 caller, ck_status* status) {
  const u32 victim = pick_victim(
      kernels_,
      [&](u32 slot) {
        if (kernel_pinned(slot) || slot == caller || slot == srm_ || (current_ != nullptr && current_->kernel == slot))
          return false;
        for (u32 s = 0; kernels_[slot].spaces != 0 && s < kSpaceCapacity; ++s)
          if (spaces_.loaded(s) && spaces_[s].kernel == slot && has_signals(s)) return false;
        return true;
      },
      [&](u32 slot) {
        // Its objects go to its own ring, itself to the first kernel's.
        RingRoom room = ring_of(slot).room();
        for (u32 s = 0; s < kSpaceCapacity; ++s)
          if (spaces_.loaded(s) && spaces_[s].kernel == slot && !space_fits(s, room)) return false;
        return ring_of(srm_).room().take(1);
      },
      status);
  if (victim == kNoSlot) return kNoSlot;
  drop_kernel(victim, CK_WB_RECLAIMED);
  return kernels_.allocate();
}

ck_status ObjectCaches::load_kernel(u32 caller, const ck_kernel_desc& desc, ObjectId* id) {
  if (caller != srm_) return CK_E_NOT_SRM;
  if ((desc.flags & ~(CK_LOCK | CK_KERNEL_KEEP_RING)) != 0) return CK_E_ARGUMENT;
  const u32 ring = desc.writeback_ring, bytes = desc.ring_bytes;
  if ((ring & (arch::kPageBytes - 1)) != 0 || bytes == 0 || bytes > kMaxRingBytes ||
      (bytes & (arch::kPageBytes - 1)) != 0 || ring + bytes < ring)
    return CK_E_ADDRESS;
  // The ring is memory the first kernel gives the new one.
  for (u32 page = 0; page < bytes; page += arch::kPageBytes)
    if (!kernels_[srm_].rights.allows(PhysAddr(ring + page), true)) return CK_E_NO_RIGHTS;
  const bool lock = (desc.flags & CK_LOCK) != 0;
  if (lock) {
    if (const ck_status s = charge_lock(srm_, CK_OBJECT_KERNEL); s != CK_OK) return s;
  }
  u32 slot = kernels_.allocate();
  ck_status s = CK_OK;
  if (slot == Kernels::kNone) slot = reclaim_kernel(caller, &s);
  if (slot == kNoSlot) {
    if (lock) release_lock(srm_, CK_OBJECT_KERNEL);
    return s;
  }
  KernelObject& k = kernels_[slot];
  k.rights.clear();
  k.handler = VirtAddr(desc.handler);
  k.home = kNoSlot;
  k.ring = PhysAddr(ring);
  k.ring_slots = bytes / CK_RING_SLOT_BYTES;
  k.cookie = desc.cookie;
  k.cpu_percent = 0;
  k.max_priority = 0;
  for (u16& q : k.lock_quota) q = 0;
  for (u16& n : k.locked) n = 0;
  k.spaces = 0;
  k.run_ns = k.charged_ns = 0;
  k.window.clear();
  k.throttled = false;
  k.threads = 0;
  kernels_.set_locked(slot, lock);
  if ((desc.flags & CK_KERNEL_KEEP_RING) != 0)
    ring_of(slot).keep();
  else
    ring_of(slot).reset();
  *id = kernels_.id_of(slot);
  return CK_OK;
}

ck_status ObjectCaches::unload_kernel(u32 caller, ObjectId id) {
  if (caller != srm_) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = find_kernel(id, &slot); s != CK_OK) return s;
  if (slot == srm_) return CK_E_BUSY;
  return drop_kernel(slot, 0);
}

ck_status ObjectCaches::set_memory_access(u32 caller, ObjectId id, PhysAddr base, u32 bytes, u32 rights) {
  if (caller != srm_) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = find_kernel(id, &slot); s != CK_OK) return s;
  if (rights != CK_RIGHTS_NONE && rights != CK_RIGHTS_READ && rights != CK_RIGHTS_READ_WRITE) return CK_E_ARGUMENT;
  KernelObject& k = kernels_[slot];
  scratch_rights_ = k.rights;
  if (!scratch_rights_.set(base, bytes, static_cast<Rights>(rights))) return CK_E_ADDRESS;
  // Mappings the new rights no longer allow leave the cache (written back) first: all
  // of them, or, when the ring cannot take them all, none and CK_E_RETRY.
  RingRooms rooms(*this);
  for (u32 i = 0; i < kMappingCapacity; ++i) {
    if (!physmap_.in_use(i)) continue;
    const DependencyRecord& r = physmap_.record(i);
    if (r.context >= kSpaceCapacity || spaces_[r.context].kernel != slot) continue;
    if (scratch_rights_.allows(PhysAddr(r.key), (r.dependent & mapping_record::kWritable) != 0)) continue;
    if (!mapping_drop_fits(i, rooms)) return CK_E_RETRY;
  }
  for (u32 i = 0; i < kMappingCapacity; ++i) {
    if (!physmap_.in_use(i)) continue;
    const DependencyRecord r = physmap_.record(i);
    if (r.context >= kSpaceCapacity || spaces_[r.context].kernel != slot) continue;
    if (scratch_rights_.allows(PhysAddr(r.key), (r.dependent & mapping_record::kWritable) != 0)) continue;
    drop_mapping(r.context, VirtAddr(r.dependent & ~mapping_record::kFlagMask), i, 0);
  }
  k.rights = scratch_rights_;
  return CK_OK;
}

ck_status ObjectCaches::set_cpu(u32 caller, ObjectId id, u32 percent, u32 max_priority) {
  if (caller != srm_) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = find_kernel(id, &slot); s != CK_OK) return s;
  if (percent < 1 || percent > 100 || max_priority > kMaxPriority) return CK_E_ARGUMENT;
  KernelObject& k = kernels_[slot];
  k.cpu_percent = percent;
  k.max_priority = max_priority;
  // A lower ceiling applies to the threads already loaded.
  for (u32 t = 0; t < kThreadCapacity; ++t)
    if (threads_.loaded(t) && threads_[t].kernel == slot && threads_[t].priority > max_priority)
      threads_[t].priority = max_priority;
  // The new share and ceiling apply to its threads at once.
  k.throttled = over_share(k, arch::clock_ns());
  requeue_kernel(slot);
  return CK_OK;
}

ck_status ObjectCaches::set_lock_quota(u32 caller, ObjectId id, u32 type, u32 count) {
  if (caller != srm_) return CK_E_NOT_SRM;
  u32 slot;
  if (const ck_status s = find_kernel(id, &slot); s != CK_OK) return s;
  if (type >= kObjectTypes || count > 0xffff) return CK_E_ARGUMENT;
  // Objects locked already stay locked; the quota bounds new locks.
  kernels_[slot].lock_quota[type] = static_cast<u16>(count);
  return CK_OK;
}

}  // namespace ck
