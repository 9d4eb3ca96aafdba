// Replacement and writeback (replacement.h).
#include "replacement.h"

#include <initializer_list>

namespace ck {

namespace {
constexpr u32 kThreadRecordSlots = CK_WB_THREAD_SLOTS;

u16 page_flags(const arch::PageState& s, const Mapping& m) {
  return static_cast<u16>((s.used ? CK_WB_REFERENCED : 0) | (s.modified ? CK_WB_MODIFIED : 0) |
                          (s.writable ? CK_WB_WRITABLE : 0) | (m.has(mapping_flag::kLocked) ? CK_WB_LOCKED : 0));
}

// The victim a descriptor cache's clock gives among those `eligible` accepts whose
// cascade `plan_for` fits `plan`, its room then taken; kNoSlot with the reason. The
// clock plans only the slot it would take (a referenced one gets its second chance
// first), on a copy; the victim's copy becomes the plan.
template <typename Choose, typename Eligible, typename PlanFor>
u32 choose(Choose&& choose_in_cache, Eligible&& eligible, PlanFor&& plan_for, WritebackPlan& plan, ck_status* status) {
  bool ring_full = false;
  WritebackPlan accepted = plan;
  const u32 victim = choose_in_cache(eligible, [&](u32 slot) {
    WritebackPlan trial = plan;
    if (plan_for(slot, trial)) {
      accepted = trial;
      return true;
    }
    ring_full = true;
    return false;
  });
  if (victim == 0xffffffff) {
    *status = ring_full ? CK_E_RETRY : CK_E_NO_DESCRIPTOR;
    return kNoSlot;
  }
  plan = accepted;
  return victim;
}

// A victim in a cache whose objects may hold more than a call may reclaim (kernels,
// spaces): the one being reclaimed (`reclaiming`, while loaded and eligible) goes on to
// its end, whole once small; else the clock's, a large candidate accepted without a plan
// (the reclaim checks each step). `*large`: it leaves a few objects a call.
template <typename Cache, typename Choose, typename Eligible, typename Large, typename PlanFor>
u32 choose_to_reclaim(const Cache& cache, ObjectId reclaiming, Choose&& choose_in_cache, Eligible&& eligible,
                      Large&& is_large, PlanFor&& plan_for, WritebackPlan& plan, ck_status* status, bool* large) {
  u32 slot = kNoSlot;
  if (reclaiming.raw() != 0 && cache.find(reclaiming, &slot) == LookupError::None && eligible(slot)) {
    *large = is_large(slot);
    if (*large) return slot;
    WritebackPlan trial = plan;
    if (!plan_for(slot, trial)) {
      *status = CK_E_RETRY;
      return kNoSlot;
    }
    plan = trial;
    return slot;
  }
  const u32 victim = choose(
      choose_in_cache, eligible, [&](u32 s, WritebackPlan& p) { return is_large(s) || plan_for(s, p); }, plan, status);
  *large = victim != kNoSlot && is_large(victim);
  return victim;
}
}  // namespace

// ---- Lock rules ---------------------------------------------------------------------

bool Replacement::space_pinned(u32 space) const {
  return tables_.spaces().locked(space) && kernel_pinned(tables_.space(space).kernel);
}

bool Replacement::thread_pinned(u32 thread) const {
  return tables_.threads().locked(thread) && space_pinned(tables_.thread(thread).home_space());
}

bool Replacement::mapping_pinned(u32 record, const Mapping& m) const {
  if (!m.has(mapping_flag::kLocked) || !space_pinned(m.space)) return false;
  // And its signal thread, if it has one (§4.2).
  return !m.has(mapping_flag::kSignal) || thread_pinned(map_.signal_thread(record));
}

bool Replacement::flushes_pinned(u32 record, const Mapping& m) const {
  if (!m.has(mapping_flag::kSignal)) return false;
  bool pinned = false;
  map_.for_each_writable_of_page(m.pa, [&](u32 i, const Mapping& o) {
    if (i != record && !pinned) pinned = mapping_pinned(i, o);
  });
  return pinned;
}

bool Replacement::space_busy(u32 space) const {
  const ThreadObject* current = scheduler_.current();
  if (current == nullptr) return false;
  return current->home_space() == space || current->space == &tables_.space(space).tables;
}

// ---- Plans --------------------------------------------------------------------------

bool Replacement::plan_mapping(u32 record, WritebackPlan& plan) const {
  const Mapping m = map_.mapping(record);
  if (!plan.take(tables_.space(m.space).kernel, 1)) return false;
  if (!m.has(mapping_flag::kSignal)) return true;
  // And the writable mappings of its page it flushes (all of the same page).
  bool fits = true;
  map_.for_each_writable_of_page(m.pa, [&](u32 i, const Mapping& o) {
    if (i != record && !plan.take(tables_.space(o.space).kernel, 1)) fits = false;
  });
  return fits;
}

bool Replacement::mapping_fits(u32 record, const Mapping& m) const {
  if (!m.has(mapping_flag::kSignal)) return writeback_.fits(tables_.space(m.space).kernel, 1);
  WritebackPlan plan(writeback_);
  return plan_mapping(record, plan);
}

bool Replacement::thread_fits(u32 slot) const {
  if (map_.thread_signal_mappings(slot) == 0) return writeback_.fits(tables_.thread(slot).kernel(), kThreadRecordSlots);
  WritebackPlan plan(writeback_);
  return plan_thread(slot, plan);
}

bool Replacement::plan_thread(u32 slot, WritebackPlan& plan) const {
  bool fits = true;
  // The mappings that name it as their signal thread go first (§4.2, Figure 6).
  map_.for_each_signal_mapping_of(slot, [&](u32 record) { fits = fits && plan_mapping(record, plan); });
  return fits && plan.take(tables_.thread(slot).kernel(), kThreadRecordSlots);
}

bool Replacement::plan_space(u32 slot, WritebackPlan& plan) const {
  bool fits = true;
  for (u32 r = map_.next_in_space(slot, VirtAddr(0)); fits && r != MemoryMap::kNone;) {
    const Mapping m = map_.mapping(r);
    fits = plan_mapping(r, plan);
    if (m.va.value() + arch::kPageBytes == 0) break;
    r = map_.next_in_space(slot, m.va + arch::kPageBytes);
  }
  for_each_dependent(slot, [&](u32 t) { fits = fits && plan_thread(t, plan); });
  return fits && plan.take(tables_.space(slot).kernel, 1);
}

bool Replacement::plan_kernel(u32 slot, WritebackPlan& plan) const {
  // Its objects go to its own ring, itself to the first kernel's.
  for (u32 s = 0; tables_.kernel(slot).spaces != 0 && s < kSpaceCapacity; ++s)
    if (tables_.spaces().loaded(s) && tables_.space(s).kernel == slot && !plan_space(s, plan)) return false;
  return plan.take(tables_.first_kernel(), 1);
}

// ---- Victims ------------------------------------------------------------------------

u32 Replacement::counted_objects(u32 space) const { return map_.mappings(space) + tables_.space(space).threads + 1; }

bool Replacement::space_large(u32 slot) const { return counted_objects(slot) > kMaxSteps; }

bool Replacement::kernel_large(u32 slot) const {
  u32 objects = 1;
  for (u32 s = 0; tables_.kernel(slot).spaces != 0 && s < kSpaceCapacity && objects <= kMaxSteps; ++s)
    if (tables_.spaces().loaded(s) && tables_.space(s).kernel == slot) objects += counted_objects(s);
  return objects > kMaxSteps;
}

u32 Replacement::choose_kernel(u32 caller, WritebackPlan& plan, ck_status* status, bool* large) {
  const ThreadObject* current = scheduler_.current();
  auto eligible = [&](u32 slot) {
    if (kernel_pinned(slot) || slot == caller || slot == tables_.first_kernel() ||
        (current != nullptr && current->kernel() == slot))
      return false;
    for (u32 s = 0; tables_.kernel(slot).spaces != 0 && s < kSpaceCapacity; ++s)
      if (tables_.spaces().loaded(s) && tables_.space(s).kernel == slot && has_signals(s)) return false;
    return true;
  };
  return choose_to_reclaim(
      tables_.kernels(), reclaiming_kernel_, [&](auto&& e, auto&& f) { return tables_.choose_kernel(e, f); }, eligible,
      [&](u32 k) { return kernel_large(k); }, [&](u32 k, WritebackPlan& p) { return plan_kernel(k, p); }, plan, status,
      large);
}

u32 Replacement::choose_space(u32 loader, WritebackPlan& plan, ck_status* status, bool* large) {
  // A kernel's home space goes only with the kernel: its handlers run there. A space
  // whose thread is in its handler goes only as that thread would (choose_thread): found
  // once, in one pass over the threads.
  // One pass over the threads (interrupts are masked): the other kernels' threads in
  // their handlers, listed, and counted per kernel; then their spaces marked.
  bool held[kSpaceCapacity] = {};
  u16 in_handler[kKernelCapacity] = {};
  u16 found[kThreadCapacity];
  u32 count = 0;
  for (u32 t = 0; t < kThreadCapacity; ++t) {
    const ThreadObject& th = tables_.thread(t);
    if (!th.state().in_exception() || !tables_.threads().loaded(t)) continue;
    in_handler[th.kernel()] += 1;
    if (th.kernel() != loader) found[count++] = static_cast<u16>(t);
  }
  for (u32 i = 0; i < count; ++i) {
    const ThreadObject& th = tables_.thread(found[i]);
    if (in_handler[th.kernel()] <= resources_.quota(th.kernel(), CK_OBJECT_THREAD)) held[th.home_space()] = true;
  }
  auto eligible = [&](u32 slot) {
    return !space_pinned(slot) && !space_busy(slot) && !tables_.space(slot).home && !has_signals(slot) && !held[slot];
  };
  return choose_to_reclaim(
      tables_.spaces(), reclaiming_space_, [&](auto&& e, auto&& f) { return tables_.choose_space(e, f); }, eligible,
      [&](u32 k) { return space_large(k); }, [&](u32 k, WritebackPlan& p) { return plan_space(k, p); }, plan, status,
      large);
}

ck_status Replacement::reclaim_space(u32 slot) {
  reclaiming_space_ = tables_.spaces().id_of(slot);
  Progress p;
  const ck_status s = unload_space_steps(slot, CK_WB_RECLAIMED, p);
  return s == CK_OK ? CK_E_PARTIAL : s;
}

ck_status Replacement::reclaim_kernel(u32 slot) {
  reclaiming_kernel_ = tables_.kernels().id_of(slot);
  Progress p;
  const ck_status s = unload_kernel_steps(slot, CK_WB_RECLAIMED, p);
  return s == CK_OK ? CK_E_PARTIAL : s;
}

u32 Replacement::choose_thread(u32 loader, WritebackPlan& plan, ck_status* status) {
  // A thread in its exception handler is its kernel at work (paper §2.1: a system call
  // half done, a page being filled); written back there, the kernel can only start the
  // exception over, and what the handler had done may be done twice. Such a thread is
  // taken only when no other can be: first a thread out of its handler, then one of the
  // loading kernel's own in theirs (its own work it puts at risk), then another kernel's
  // only beyond as many as its quota of locked threads: up to that many of a kernel's
  // threads in their handlers are as safe as locked ones (and no more threads than a
  // kernel may lock can be held from others that way).
  enum class Take : u8 { OutOfHandler, LoadersInHandler, OthersOverQuota };
  // Each kernel's threads in their handlers, counted once (one pass over the threads)
  // before the last look needs them.
  u16 in_handler[kKernelCapacity] = {};
  const auto count_in_handler = [&] {
    for (u32 slot = 0; slot < kThreadCapacity; ++slot)
      if (tables_.threads().loaded(slot) && tables_.thread(slot).state().in_exception())
        in_handler[tables_.thread(slot).kernel()] += 1;
  };
  const auto eligible = [&](u32 slot, Take take) {
    const ThreadObject& t = tables_.thread(slot);
    if (&t == scheduler_.current() || thread_pinned(slot) || map_.thread_signal_mappings(slot) != 0) return false;
    switch (take) {
      case Take::OutOfHandler:
        return !t.state().in_exception();
      case Take::LoadersInHandler:
        return t.kernel() == loader;
      case Take::OthersOverQuota:
        return in_handler[t.kernel()] > resources_.quota(t.kernel(), CK_OBJECT_THREAD);
    }
    return false;
  };
  const auto plan_for = [&](u32 slot, WritebackPlan& p) { return plan_thread(slot, p); };
  const auto clock = [&](auto&& e, auto&& f) { return tables_.choose_thread(e, f); };
  u32 victim = kNoSlot;
  for (const Take take : {Take::OutOfHandler, Take::LoadersInHandler, Take::OthersOverQuota}) {
    if (take == Take::OthersOverQuota) count_in_handler();
    victim = choose(
        clock, [&](u32 slot) { return eligible(slot, take); }, plan_for, plan, status);
    if (victim != kNoSlot || *status != CK_E_NO_DESCRIPTOR) return victim;
  }
  return victim;
}

u32 Replacement::choose_mapping(WritebackPlan& plan, u32 exclude, ck_status* status) {
  const bool other_page = exclude != MemoryMap::kNone && map_.mapping(exclude).has(mapping_flag::kSignal);
  const PhysAddr page = exclude != MemoryMap::kNone ? map_.mapping(exclude).pa : PhysAddr(0);
  // The clock, bounded (interrupts are masked): a referenced page gets its second
  // chance only kSecondChances times per search, and a search looks at kMaxLooks
  // records at most; the hand keeps its place, so the next search goes on from there.
  // Without the bounds a kernel touching all its pages made each load sweep them all.
  bool ring_full = false;
  const u32 capacity = map_.capacity();
  const u32 looks = capacity < kMaxLooks / 2 ? 2 * capacity : kMaxLooks;
  u32 second_chances = 0;
  for (u32 n = 0; n < looks; ++n) {
    const u32 i = mapping_hand_;
    mapping_hand_ = (mapping_hand_ + 1) % capacity;
    if (!map_.is_mapping(i) || i == exclude) continue;
    const Mapping m = map_.mapping(i);
    if (mapping_pinned(i, m) || (other_page && m.pa == page) || flushes_pinned(i, m)) continue;
    if (second_chances < kSecondChances && map_.take_used(m)) {
      second_chances += 1;
      continue;
    }
    // Most victims write one record; only a signal mapping's cascade needs a trial plan.
    bool fits;
    if (m.has(mapping_flag::kSignal)) {
      WritebackPlan trial = plan;
      fits = plan_mapping(i, trial);
      if (fits) plan = trial;
    } else {
      fits = plan.take(tables_.space(m.space).kernel, 1);
    }
    if (fits) return i;
    ring_full = true;
  }
  *status = ring_full ? CK_E_RETRY : CK_E_NO_DESCRIPTOR;
  return MemoryMap::kNone;
}

ck_status Replacement::choose_mappings(u32 count, u32 victims[2]) {
  WritebackPlan plan(writeback_);
  ck_status status = CK_OK;
  if ((victims[0] = choose_mapping(plan, MemoryMap::kNone, &status)) == MemoryMap::kNone) return status;
  // A victim with a signal thread frees two records (and flushes its page's writable
  // mappings); otherwise a second victim, not of that page, when two are needed.
  if (count < 2 || map_.mapping(victims[0]).has(mapping_flag::kSignal)) return CK_OK;
  if ((victims[1] = choose_mapping(plan, victims[0], &status)) == MemoryMap::kNone) return status;
  return CK_OK;
}

// ---- Commit -------------------------------------------------------------------------

// Inlined into its two callers: on the path of every mapping unload.
[[gnu::always_inline]] inline bool Replacement::remove_mapping(u32 record, const Mapping& m, u16 flags) {
  const SpaceObject& s = tables_.space(m.space);
  const bool signals = m.has(mapping_flag::kSignal);
  const u32 signal_thread = signals ? tables_.threads().id_of(map_.signal_thread(record)).raw() : 0;
  const u32 free_before = arch::page_table_bytes_free();
  const arch::PageState state = map_.remove(record, m);
  resources_.refund_tables(s.kernel, arch::page_table_bytes_free() - free_before);
  if (m.has(mapping_flag::kLocked)) resources_.unlock(s.kernel, CK_OBJECT_MAPPING);
  ck_writeback r{};
  r.kind = CK_WB_MAPPING;
  r.flags = static_cast<u16>(flags | page_flags(state, m) | (signals ? CK_WB_SIGNAL : 0));
  r.cookie = s.cookie;
  r.space = tables_.spaces().id_of(m.space).raw();
  r.va = m.va.value();
  r.pa = m.pa.value();
  r.exception = signal_thread;
  writeback_.write(s.kernel, r);
  return signals;
}

void Replacement::drop_mapping(u32 record, const Mapping& m, u16 flags) {
  if (!remove_mapping(record, m, flags)) return;
  // Multi-mapping consistency (§4.2): a sender must not write on with no receiver. The
  // mappings flushed are of the same page, so one loop (no recursion) takes them all.
  for (;;) {
    const u32 writable = map_.first_writable_of_page(m.pa);
    if (writable == MemoryMap::kNone) return;
    remove_mapping(writable, map_.mapping(writable), CK_WB_FLUSHED);
  }
}

void Replacement::write_back_thread(const ThreadObject& t, u16 flags, u32 exception, VirtAddr address) {
  ck_thread_state state{};
  arch::get_registers(t.own, &state.regs);
  arch::get_fpu_registers(t.own, &state.fpu);
  arch::get_pending_writes(t.own, state.pending);  // done when it is loaded again
  state.exception_stack = t.exception_stack().value();
  state.signal_function = messaging_.signal_function(t.slot()).value();
  arch::get_thread_value(t.own, &state.value_call, &state.value);
  const ThreadState& st = t.state();
  ck_writeback r{};
  r.kind = CK_WB_THREAD;
  r.flags = static_cast<u16>(flags | (st.in_exception() ? CK_WB_IN_EXCEPTION : 0) |
                             (tables_.threads().locked(t.slot()) ? CK_WB_LOCKED : 0) |
                             (st.blocked() ? CK_WB_BLOCKED : 0) | (st.in_signal() ? CK_WB_IN_SIGNAL : 0) |
                             (messaging_.queued(t.slot()) != 0 ? CK_WB_SIGNALS_LOST : 0));
  r.id = t.id;
  r.cookie = t.cookie();
  r.space = tables_.spaces().id_of(t.home_space()).raw();
  r.va = scheduler_.priority(t.slot());
  r.exception = exception;
  r.address = address.value();
  writeback_.write(t.kernel(), r, &state, sizeof state);
}

void Replacement::drop_thread(u32 slot, u16 flags, u32 exception, VirtAddr address) {
  ThreadObject& t = tables_.thread(slot);
  for (u32 first; (first = map_.first_signal_mapping_of(slot)) != MemoryMap::kNone;) drop_mapping(first, 0);
  scheduler_.retire(t);
  // The FPU must not go on naming a context whose slot will be reused.
  t.save_contexts();
  write_back_thread(t, flags, exception, address);
  if (tables_.threads().locked(slot)) resources_.unlock(t.kernel(), CK_OBJECT_THREAD);
  tables_.remove_thread(slot);
}

void Replacement::drop_space(u32 slot, u16 flags) {
  for (u32 r = map_.next_in_space(slot, VirtAddr(0)); r != MemoryMap::kNone; r = map_.next_in_space(slot, VirtAddr(0)))
    drop_mapping(r, flags);
  for_each_dependent(slot, [&](u32 t) { drop_thread(t, flags); });
  const SpaceObject& s = tables_.space(slot);
  const u32 kernel = s.kernel;
  ck_writeback r{};
  r.kind = CK_WB_SPACE;
  r.flags = static_cast<u16>(flags | (tables_.spaces().locked(slot) ? CK_WB_LOCKED : 0));
  r.id = tables_.spaces().id_of(slot).raw();
  r.cookie = s.cookie;
  r.space = r.id;
  writeback_.write(kernel, r);
  const u32 free_before = arch::page_table_bytes_free();
  arch::destroy_page_tables(s.tables.tables);
  resources_.refund_tables(kernel, arch::page_table_bytes_free() - free_before);
  if (tables_.spaces().locked(slot)) resources_.unlock(kernel, CK_OBJECT_SPACE);
  tables_.remove_space(slot);
}

void Replacement::drop_kernel(u32 slot, u16 flags) {
  // Its objects say why they left: the SRM reloads a displaced kernel's own (§3).
  for (u32 s = 0; tables_.kernel(slot).spaces != 0 && s < kSpaceCapacity; ++s)
    if (tables_.spaces().loaded(s) && tables_.space(s).kernel == slot)
      drop_space(s, static_cast<u16>(flags | CK_WB_KERNEL_GONE));
  // Kernel objects are written back to the first kernel, which loaded them (§2.4).
  const u32 srm = tables_.first_kernel();
  ck_writeback r{};
  r.kind = CK_WB_KERNEL;
  r.flags = static_cast<u16>(flags | (tables_.kernels().locked(slot) ? CK_WB_LOCKED : 0));
  r.id = tables_.kernels().id_of(slot).raw();
  r.cookie = tables_.kernel(slot).cookie;
  writeback_.write(srm, r);
  if (tables_.kernels().locked(slot)) resources_.unlock(srm, CK_OBJECT_KERNEL);
  writeback_.detach(slot);
  tables_.remove_kernel(slot);
}

// ---- Restartable unloads ------------------------------------------------------------

u32 Replacement::objects_of_space(u32 slot) const {
  // Its mappings, the threads that depend on it with the signal mappings that go with
  // them, and itself.
  u32 threads = 0;
  for_each_dependent(slot, [&](u32 t) { threads += 1 + map_.thread_signal_mappings(t); });
  return map_.mappings(slot) + threads + 1;
}

ck_status Replacement::unload_space_steps(u32 slot, u16 flags, Progress& p) {
  // Its mappings in address order, then the threads that depend on it, then itself:
  // each a step planned and then committed, kMaxSteps per call.
  for (u32 r = map_.next_in_space(slot, VirtAddr(0)); r != MemoryMap::kNone;) {
    const Mapping m = map_.mapping(r);
    if (!mapping_fits(r, m)) return p.stopped();
    drop_mapping(r, m, flags);
    const VirtAddr va = m.va;
    if (!p.step()) return CK_E_PARTIAL;
    r = va.value() + arch::kPageBytes == 0 ? MemoryMap::kNone : map_.next_in_space(slot, va + arch::kPageBytes);
  }
  ck_status status = CK_OK;
  for_each_dependent(slot, [&](u32 t) {
    if (status != CK_OK) return;
    // Its signal mappings first, each a step of its own.
    for (u32 r; (r = map_.first_signal_mapping_of(t)) != MemoryMap::kNone;) {
      const Mapping m = map_.mapping(r);
      if (!mapping_fits(r, m)) {
        status = p.stopped();
        return;
      }
      drop_mapping(r, m, flags);
      if (!p.step()) {
        status = CK_E_PARTIAL;
        return;
      }
    }
    if (!thread_fits(t)) {
      status = p.stopped();
      return;
    }
    drop_thread(t, flags);
    if (!p.step()) status = CK_E_PARTIAL;
  });
  if (status != CK_OK) return status;
  if (!writeback_.fits(tables_.space(slot).kernel, 1)) return p.stopped();
  drop_space(slot, flags);
  p.made = true;
  return CK_OK;
}

ck_status Replacement::unload_space(u32 slot, u16 flags) {
  // An empty space writes one record: no plan to keep.
  const SpaceObject& s = tables_.space(slot);
  if (map_.mappings(slot) == 0 && s.threads == 0 && !s.home) {
    if (!writeback_.fits(s.kernel, 1)) return CK_E_RETRY;
    drop_space(slot, flags);
    return CK_OK;
  }
  return whole_or_in_steps(
      objects_of_space(slot), [&](WritebackPlan& plan) { return plan_space(slot, plan); },
      [&] { drop_space(slot, flags); }, [&](Progress& p) { return unload_space_steps(slot, flags, p); });
}

ck_status Replacement::unload_kernel(u32 slot, u16 flags) {
  u32 objects = 1;
  for (u32 s = 0; tables_.kernel(slot).spaces != 0 && s < kSpaceCapacity; ++s)
    if (tables_.spaces().loaded(s) && tables_.space(s).kernel == slot) objects += objects_of_space(s);
  return whole_or_in_steps(
      objects, [&](WritebackPlan& plan) { return plan_kernel(slot, plan); }, [&] { drop_kernel(slot, flags); },
      [&](Progress& p) { return unload_kernel_steps(slot, flags, p); });
}

ck_status Replacement::unload_kernel_steps(u32 slot, u16 flags, Progress& p) {
  for (u32 s = 0; tables_.kernel(slot).spaces != 0 && s < kSpaceCapacity; ++s) {
    if (!tables_.spaces().loaded(s) || tables_.space(s).kernel != slot) continue;
    if (const ck_status st = unload_space_steps(s, static_cast<u16>(flags | CK_WB_KERNEL_GONE), p); st != CK_OK)
      return st;
  }
  if (!writeback_.fits(tables_.first_kernel(), 1)) return p.stopped();
  drop_kernel(slot, flags);
  return CK_OK;
}

}  // namespace ck
