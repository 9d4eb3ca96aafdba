// Address-space objects (paper §2.1, §4.2): the root of a set of page tables and its
// owner. Unloading one first unloads what depends on it: its mappings, then its
// threads (and, for a kernel's home space, the exception handlers running in it).
// Each call: check (every argument, a slot or a victim whose writeback fits, page
// tables), then commit.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kSpaceFlags = CK_LOCK | CK_SPACE_HOME;
}  // namespace

// load_space's checks of its arguments, in its order with its answers: the owner's slot
// in `owner`.
inline ck_status ObjectCaches::check_space_load(u32 caller, ObjectId owner_id, u32 flags, u32* owner) const {
  if ((flags & ~kSpaceFlags) != 0) return CK_E_ARGUMENT;
  *owner = caller;
  if (owner_id.raw() != 0) {
    if (const ck_status s = tables_.find_kernel(owner_id, owner); s != CK_OK) return s;
  }
  if (const ck_status s = tables_.check_owner(caller, *owner); s != CK_OK) return s;
  if ((flags & CK_SPACE_HOME) != 0 && tables_.kernel(*owner).home != kNoSlot) return CK_E_HOME_EXISTS;
  if ((flags & CK_LOCK) != 0) {
    if (const ck_status s = resources_.can_lock(*owner, CK_OBJECT_SPACE); s != CK_OK) return s;
  }
  if (writeback_.must_drain(caller)) return CK_E_RETRY;
  return CK_OK;
}

// New tables, charged to `owner`: the last check of a load (the pool may be exhausted,
// or the owner's table quota; then nothing changed) and its first change.
inline ck_status ObjectCaches::create_space_tables(u32 owner, PhysAddr* tables) {
  const u32 free_before = arch::page_table_bytes_free();
  *tables = arch::create_page_tables();
  if (tables->value() == 0) return CK_E_NO_TABLES;
  const u32 table_bytes = free_before - arch::page_table_bytes_free();
  if (!resources_.tables_fit(owner, table_bytes)) {
    arch::destroy_page_tables(*tables);
    return CK_E_NO_TABLES;
  }
  resources_.charge_tables(owner, table_bytes);
  return CK_OK;
}

// The space itself, in a free slot, on its new tables.
inline void ObjectCaches::add_checked_space(u32 owner, PhysAddr tables, u32 cookie, u32 flags, ObjectId* id) {
  const bool lock = (flags & CK_LOCK) != 0;
  const u32 slot = tables_.add_space(owner, tables, cookie, (flags & CK_SPACE_HOME) != 0, lock);
  if (lock) resources_.lock(owner, CK_OBJECT_SPACE);
  *id = tables_.spaces().id_of(slot);
}

ck_status ObjectCaches::load_space(u32 caller, ObjectId owner_id, u32 cookie, u32 flags, ObjectId* id) {
  u32 owner;
  if (const ck_status s = check_space_load(caller, owner_id, flags, &owner); s != CK_OK) return s;
  WritebackPlan plan(writeback_);
  u32 victim = kNoSlot;
  if (!tables_.has_free_space()) {
    ck_status s = CK_OK;
    bool large = false;
    if ((victim = replacement_.choose_space(owner, plan, &s, &large)) == kNoSlot) return s;
    // A victim too large for one call leaves over several: this call reclaims part of
    // it and answers CK_E_PARTIAL, the load itself not done.
    if (large) return replacement_.reclaim_space(victim);
  }
  PhysAddr tables;
  if (const ck_status s = create_space_tables(owner, &tables); s != CK_OK) return s;
  if (victim != kNoSlot) replacement_.drop_space(victim, CK_WB_RECLAIMED);
  add_checked_space(owner, tables, cookie, flags, id);
  return CK_OK;
}

// load_space with a slot free: the same checks and answers, no victim to choose, drop or
// write back (so no thread is unloaded).
ck_status ObjectCaches::load_free_space(u32 caller, ObjectId owner_id, u32 cookie, u32 flags, ObjectId* id) {
  CK_ASSERT(tables_.has_free_space());
  u32 owner;
  if (const ck_status s = check_space_load(caller, owner_id, flags, &owner); s != CK_OK) return s;
  PhysAddr tables;
  if (const ck_status s = create_space_tables(owner, &tables); s != CK_OK) return s;
  add_checked_space(owner, tables, cookie, flags, id);
  return CK_OK;
}

ck_status ObjectCaches::unload_space(u32 caller, ObjectId id) {
  u32 slot;
  if (const ck_status s = tables_.find_space(id, &slot); s != CK_OK) return s;
  const SpaceObject& s = tables_.space(slot);
  if (const ck_status st = tables_.check_owner(caller, s.kernel); st != CK_OK) return st;
  // The first kernel's home is where the system's resource manager runs.
  if (s.home && s.kernel == tables_.first_kernel()) return CK_E_BUSY;
  if (writeback_.must_drain(caller)) return CK_E_RETRY;
  return replacement_.unload_space(slot, 0);
}

}  // namespace ck
