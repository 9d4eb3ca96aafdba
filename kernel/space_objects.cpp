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

ck_status ObjectCaches::load_space(u32 caller, ObjectId owner_id, u32 cookie, u32 flags, ObjectId* id) {
  if ((flags & ~kSpaceFlags) != 0) return CK_E_ARGUMENT;
  u32 owner = caller;
  if (owner_id.raw() != 0) {
    if (const ck_status s = tables_.find_kernel(owner_id, &owner); s != CK_OK) return s;
  }
  if (const ck_status s = tables_.check_owner(caller, owner); s != CK_OK) return s;
  const bool home = (flags & CK_SPACE_HOME) != 0;
  if (home && tables_.kernel(owner).home != kNoSlot) return CK_E_HOME_EXISTS;
  const bool lock = (flags & CK_LOCK) != 0;
  if (lock) {
    if (const ck_status s = resources_.can_lock(owner, CK_OBJECT_SPACE); s != CK_OK) return s;
  }
  if (writeback_.must_drain(caller)) return CK_E_RETRY;
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

  // New tables are the last check (the pool may be exhausted, or the owner's table
  // quota; then nothing changed) and the first change.
  const u32 free_before = arch::page_table_bytes_free();
  const PhysAddr tables = arch::create_page_tables();
  if (tables.value() == 0) return CK_E_NO_TABLES;
  const u32 table_bytes = free_before - arch::page_table_bytes_free();
  if (!resources_.tables_fit(owner, table_bytes)) {
    arch::destroy_page_tables(tables);
    return CK_E_NO_TABLES;
  }
  resources_.charge_tables(owner, table_bytes);

  if (victim != kNoSlot) replacement_.drop_space(victim, CK_WB_RECLAIMED);
  const u32 slot = tables_.add_space(owner, tables, cookie, home, lock);
  if (lock) resources_.lock(owner, CK_OBJECT_SPACE);
  *id = tables_.spaces().id_of(slot);
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
