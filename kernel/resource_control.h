// Resource control (paper §4.3, §4.2): what the first kernel grants each kernel: read
// or read-write access to page groups of physical memory, and quotas of locked objects
// of each type; the counts of locked objects held against them. (The processor share
// is the scheduler's, scheduler.h.)
//
// Page tables are charged to the kernel whose address space holds them (the owner pays,
// §4.3): a kernel may hold its table quota (CK_QUOTA_PAGE_TABLES, by default an even
// share of the pool among CK_KERNELS kernels) and no more, so that no kernel mapping
// sparse pages can exhaust the pool and make every other kernel's loads fail.
//
// Owns: per kernel slot, its page groups, lock quotas and locked counts, its table
// quota and the table bytes its spaces hold.
// Invariants: a kernel's locked count of each type equals its locked loaded objects
// (kernel objects count against the first kernel); only the first kernel's grant is
// unlimited. Checks (allows, can_lock) never change anything; lock/unlock commit.
#pragma once

#include "config.h"
#include "objects.h"
#include "page_groups.h"

namespace ck {

class ResourceControl {
 public:
  static constexpr u16 kUnlimited = 0xffff;

  // A kernel just loaded: no memory, no locks. The first kernel: `memory` read-write but
  // `read_only` (groups in it: the PROM table's copy, which every kernel may read and none
  // may change) and every quota unlimited; `memory` (the RAM the Cache Kernel gave away
  // at boot) is also all that any grant may ever reach.
  void grant_nothing(u32 kernel);
  void grant_everything(u32 kernel, PhysRange memory, PhysRange read_only = {});
  // Whether a read-write grant of [base, base + bytes) would reach the read-only groups.
  bool touches_read_only(PhysAddr base, u32 bytes) const {
    return read_only_.size != 0 && base < read_only_.end() && read_only_.base < base + bytes;
  }
  // Whether [base, base + bytes) lies in the grantable memory: never the Cache Kernel's
  // own image, stack or page-table pool, the I/O space or absent RAM.
  bool grantable(PhysAddr base, u32 bytes) const {
    return base >= grantable_.base && bytes <= grantable_.size && base - grantable_.base <= grantable_.size - bytes;
  }

  bool allows(u32 kernel, PhysAddr page, bool writable) const { return rights_[kernel].allows(page, writable); }
  const PageGroups& rights(u32 kernel) const { return rights_[kernel]; }
  // CK_SET_MEMORY_ACCESS in two phases: plan_rights() computes the kernel's rights with
  // [base, base + bytes) set to `rights` (false when the range is not page-group
  // aligned), planned() shows them to the check phase, commit_rights() installs them.
  bool plan_rights(u32 kernel, PhysAddr base, u32 bytes, Rights rights);
  const PageGroups& planned() const { return scratch_; }
  void commit_rights(u32 kernel) { rights_[kernel] = scratch_; }

  // CK_E_QUOTA when one more locked object of `type` would exceed the kernel's quota.
  ck_status can_lock(u32 kernel, ck_object_type type) const {
    return locked_[kernel][type] < quota_[kernel][type] ? CK_OK : CK_E_QUOTA;
  }
  void lock(u32 kernel, ck_object_type type) {
    CK_ASSERT(can_lock(kernel, type) == CK_OK);
    locked_[kernel][type] += 1;
  }
  void unlock(u32 kernel, ck_object_type type) {
    CK_ASSERT(locked_[kernel][type] != 0);
    locked_[kernel][type] -= 1;
  }
  // Objects locked already stay locked; the quota bounds new locks.
  void set_quota(u32 kernel, ck_object_type type, u16 count) { quota_[kernel][type] = count; }
  u16 quota(u32 kernel, ck_object_type type) const { return quota_[kernel][type]; }

  // ---- Page tables --------------------------------------------------------------------
  // The pool's size, from which the default quota is an even share.
  void set_table_pool(u32 bytes) { table_pool_ = bytes; }
  // Whether the kernel's spaces may hold `bytes` more of page tables.
  bool tables_fit(u32 kernel, u32 bytes) const {
    return table_quota_[kernel] == kUnlimitedTables || bytes <= table_quota_[kernel] - tables_[kernel];
  }
  void charge_tables(u32 kernel, u32 bytes) { tables_[kernel] += bytes; }
  void refund_tables(u32 kernel, u32 bytes) {
    CK_ASSERT(tables_[kernel] >= bytes);
    tables_[kernel] -= bytes;
  }
  // Tables held already stay; the quota bounds new ones.
  void set_table_quota(u32 kernel, u32 bytes) { table_quota_[kernel] = bytes; }

 private:
  friend class Invariants;
  friend struct FastPathLayout;  // CK_LOAD_MAPPING's entry path reads the rights (calls.cpp)

  PageGroups rights_[kKernelCapacity];
  u16 quota_[kKernelCapacity][kObjectTypes] = {};
  u16 locked_[kKernelCapacity][kObjectTypes] = {};
  static constexpr u32 kUnlimitedTables = 0xffffffff;
  u32 table_pool_ = 0;
  u32 table_quota_[kKernelCapacity] = {};
  u32 tables_[kKernelCapacity] = {};
  PhysRange grantable_;
  PhysRange read_only_;
  // The planned rights (2 KiB: not on the 16 KiB kernel stack).
  PageGroups scratch_;
};

}  // namespace ck
