// The object tables (paper §2, Table 1, §4.2): the descriptors of loaded kernels,
// address spaces and threads, each kind a DescriptorCache (slots, generations, the
// clock's referenced bits, the locked bit), and which kernel is the first (the SRM).
//
// Owns: the three descriptor caches and the first kernel's slot.
// Invariants: an identifier names a loaded slot of its own type or is refused as
// invalid or stale; a thread's kernel is its home space's; a kernel's home space, when
// it has one, is loaded, its own and marked home; the per-kernel and per-space counts
// equal what is loaded (invariants.cpp).
// Others read descriptors through const references and change them only through the
// functions here (a thread changes its own execution state, objects.h).
#pragma once

#include "config.h"
#include "descriptor_cache.h"
#include "objects.h"

namespace ck {

class ObjectTables {
 public:
  using Kernels = DescriptorCache<KernelObject, kKernelCapacity, ObjectType::Kernel>;
  using Spaces = DescriptorCache<SpaceObject, kSpaceCapacity, ObjectType::AddressSpace>;
  using Threads = DescriptorCache<ThreadObject, kThreadCapacity, ObjectType::Thread>;

  void reset();

  // ---- Lookups, with the ABI's errors ------------------------------------------
  // (Inline: every call looks up one or two identifiers.)
  ck_status find_kernel(ObjectId id, u32* slot) const { return find_in(kernels_, id, slot); }
  ck_status find_space(ObjectId id, u32* slot) const { return find_in(spaces_, id, slot); }
  ck_status find_thread(ObjectId id, u32* slot) const { return find_in(threads_, id, slot); }
  // The caller may act on an object its kernel owns; the first kernel on any.
  ck_status check_owner(u32 caller, u32 owner) const {
    return caller == owner || caller == srm_ ? CK_OK : CK_E_NOT_OWNER;
  }

  u32 first_kernel() const { return srm_; }
  const Kernels& kernels() const { return kernels_; }
  const Spaces& spaces() const { return spaces_; }
  const Threads& threads() const { return threads_; }
  const KernelObject& kernel(u32 slot) const { return kernels_[slot]; }
  const SpaceObject& space(u32 slot) const { return spaces_[slot]; }
  const ThreadObject& thread(u32 slot) const { return threads_[slot]; }
  ThreadObject& thread(u32 slot) { return threads_[slot]; }
  // The tables a space's threads run on (the run loop switches to them).
  AddressSpace* tables_of(u32 space) { return &spaces_[space].tables; }
  PhysAddr root_of(u32 space) const { return spaces_[space].tables.tables; }
  // The slot `id` names is still the object `t` (not unloaded by what just happened).
  // Its slot's loaded flag says it: `t` is the slot's storage, whose id is set to the
  // slot's identifier at every load (the invariant walk checks it), so comparing the
  // two would tell nothing more (a slot reloaded since holds the new thread either
  // way). On every call, switch and tick: 6 instructions less than that comparison.
  bool alive(const ThreadObject& t) const { return t.slot() < kThreadCapacity && threads_.loaded(t.slot()); }

  // ---- Victims (replacement.h chooses among these) -------------------------------
  template <typename Eligible, typename Fits>
  u32 choose_kernel(Eligible&& eligible, Fits&& fits) {
    return kernels_.choose_victim(eligible, fits);
  }
  template <typename Eligible, typename Fits>
  u32 choose_space(Eligible&& eligible, Fits&& fits) {
    return spaces_.choose_victim(eligible, fits);
  }
  template <typename Eligible, typename Fits>
  u32 choose_thread(Eligible&& eligible, Fits&& fits) {
    return threads_.choose_victim(eligible, fits);
  }
  bool has_free_kernel() const { return kernels_.has_free(); }
  bool has_free_space() const { return spaces_.has_free(); }
  bool has_free_thread() const { return threads_.has_free(); }

  // ---- Loading (the commit phase: a free slot exists) ----------------------------
  u32 add_first_kernel(VirtAddr handler, bool handler_no_fpu);
  u32 add_kernel(VirtAddr handler, u32 cookie, bool locked, bool handler_no_fpu, bool home_paged = false);
  u32 add_space(u32 kernel, PhysAddr tables, u32 cookie, bool home, bool locked);
  // The thread is Ready, running its own context as `state` gives it.
  u32 add_thread(u32 space, u32 cookie, const ck_thread_state& state, bool locked);

  // ---- Unloading (dependents are gone already) -----------------------------------
  void remove_kernel(u32 slot);
  void remove_space(u32 slot);
  void remove_thread(u32 slot);

  // The card a loaded thread's traps are forwarded from (arch::ExceptionCard).
  arch::ExceptionCard card_of(const ThreadObject& t) const;

 private:
  friend class Invariants;
  friend struct FastPathLayout;  // CK_LOAD_MAPPING's entry path reads the spaces (calls.cpp)

  template <typename Cache>
  [[gnu::always_inline]] static ck_status find_in(const Cache& cache, ObjectId id, u32* slot) {
    switch (cache.find(id, slot)) {
      case LookupError::None:
        return CK_OK;
      case LookupError::Stale:
        return CK_E_STALE_ID;
      case LookupError::Invalid:
        break;
    }
    return CK_E_INVALID_ID;
  }

  Kernels kernels_;
  Spaces spaces_;
  Threads threads_;
  u32 srm_ = kNoSlot;
  // Each kernel's home space's root table, 0 without one: what its threads' cards
  // point at (arch::ExceptionCard::home_root). Beside the descriptors, not in them: a
  // larger KernelObject costs every kernel lookup.
  PhysAddr home_roots_[kKernelCapacity];
  // The same home space as Thread::space names it (arch::ExceptionCard::home_space).
  AddressSpace* home_spaces_[kKernelCapacity] = {};
  // Whether its handler does not use the FPU (CK_KERNEL_HANDLER_NO_FPU): 1 or 0, what
  // its threads' cards say (arch::ExceptionCard::keep_fpu). Beside the descriptors, as
  // the two above.
  u32 keep_fpu_[kKernelCapacity] = {};
};

}  // namespace ck
