// Address-space objects (paper §2.1, §4.2): the root of a set of page tables and its
// owner. Unloading one first unloads what depends on it: its mappings, then its
// threads (and, for a kernel's home space, the exception handlers running in it).
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kSpaceFlags = CK_LOCK | CK_SPACE_HOME;
constexpr u32 kThreadRecordSlots = CK_WB_THREAD_SLOTS;
}  // namespace

// Does the thread depend on the space: it belongs to it, or it runs its kernel's
// exception handler in it?
static bool depends_on(const ThreadObject& t, u32 space, const AddressSpace* tables) {
  return t.home_space == space || t.space == tables;
}

// Only a kernel's home space runs threads of other spaces (their exception handlers):
// any other space without threads of its own needs no scan of the thread cache.
static bool may_hold_threads(const SpaceObject& s) { return s.threads != 0 || s.home; }

bool ObjectCaches::space_fits(u32 slot, RingRoom& room) const {
  const SpaceObject& s = spaces_[slot];
  for (u32 m = 0; m < s.mappings; ++m)
    if (!room.take(1)) return false;
  for (u32 t = 0; may_hold_threads(s) && t < kThreadCapacity; ++t)
    if (threads_.loaded(t) && depends_on(threads_[t], slot, &s.tables) && !room.take(kThreadRecordSlots)) return false;
  return room.take(1);
}

ck_status ObjectCaches::drop_space(u32 slot, u16 flags) {
  SpaceObject& s = spaces_[slot];
  WritebackRing ring = ring_of(s.kernel);
  // In address order; everything below `va` is gone already.
  VirtAddr va(0);
  while (s.mappings != 0 && arch::next_mapping(s.tables.tables, va, &va)) {
    arch::PageState state;
    arch::lookup_page(s.tables.tables, va, &state);
    const u32 record = find_mapping_record(slot, va, state.page);
    if (!mapping_drop_room(record)) return CK_E_RETRY;
    drop_mapping(slot, va, record, flags);
  }
  for (u32 t = 0; may_hold_threads(s) && t < kThreadCapacity; ++t) {
    if (!threads_.loaded(t) || !depends_on(threads_[t], slot, &s.tables)) continue;
    if (!thread_drop_room(t)) return CK_E_RETRY;
    drop_thread(t, flags);
  }
  if (!ring.room().take(1)) return CK_E_RETRY;
  write_back_space(slot, flags);
  arch::destroy_page_tables(s.tables.tables);
  KernelObject& k = kernels_[s.kernel];
  if (k.home == slot) k.home = kNoSlot;
  k.spaces -= 1;
  if (spaces_.locked(slot)) release_lock(s.kernel, CK_OBJECT_SPACE);
  spaces_.release(slot);
  return CK_OK;
}

u32 ObjectCaches::reclaim_space(ck_status* status) {
  const u32 victim = pick_victim(
      spaces_,
      // A kernel's home space goes only with the kernel: its handlers run there.
      [&](u32 slot) { return !space_pinned(slot) && !space_busy(slot) && !spaces_[slot].home && !has_signals(slot); },
      [&](u32 slot) {
        RingRoom room = ring_of(spaces_[slot].kernel).room();
        return space_fits(slot, room);
      },
      status);
  if (victim == kNoSlot) return kNoSlot;
  drop_space(victim, CK_WB_RECLAIMED);
  return spaces_.allocate();
}

ck_status ObjectCaches::load_space(u32 caller, ObjectId owner_id, u32 cookie, u32 flags, ObjectId* id) {
  if ((flags & ~kSpaceFlags) != 0) return CK_E_ARGUMENT;
  u32 owner = caller;
  if (owner_id.raw() != 0) {
    if (const ck_status s = find_kernel(owner_id, &owner); s != CK_OK) return s;
  }
  if (const ck_status s = check_owner(caller, owner); s != CK_OK) return s;
  const bool home = (flags & CK_SPACE_HOME) != 0;
  if (home && kernels_[owner].home != kNoSlot) return CK_E_HOME_EXISTS;
  const bool lock = (flags & CK_LOCK) != 0;
  if (lock) {
    if (const ck_status s = charge_lock(owner, CK_OBJECT_SPACE); s != CK_OK) return s;
  }
  const PhysAddr tables = arch::create_page_tables();
  if (tables.value() == 0) {
    if (lock) release_lock(owner, CK_OBJECT_SPACE);
    return CK_E_NO_TABLES;
  }
  u32 slot = spaces_.allocate();
  ck_status s = CK_OK;
  if (slot == Spaces::kNone) slot = reclaim_space(&s);
  if (slot == kNoSlot) {
    arch::destroy_page_tables(tables);
    if (lock) release_lock(owner, CK_OBJECT_SPACE);
    return s;
  }
  SpaceObject& sp = spaces_[slot];
  sp = SpaceObject{.tables = AddressSpace{tables}, .kernel = owner, .cookie = cookie, .home = home};
  spaces_.set_locked(slot, lock);
  kernels_[owner].spaces += 1;
  if (home) kernels_[owner].home = slot;
  *id = spaces_.id_of(slot);
  return CK_OK;
}

ck_status ObjectCaches::unload_space(u32 caller, ObjectId id) {
  u32 slot;
  if (const ck_status s = find_space(id, &slot); s != CK_OK) return s;
  if (const ck_status s = check_owner(caller, spaces_[slot].kernel); s != CK_OK) return s;
  // The first kernel's home is where the system's resource manager runs.
  if (spaces_[slot].home && spaces_[slot].kernel == srm_) return CK_E_BUSY;
  return drop_space(slot, 0);
}

}  // namespace ck
