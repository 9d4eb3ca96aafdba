// Replacement and writeback (paper §4.2, Figure 6): when a cache is full, a victim is
// chosen by clock among the objects the lock rules allow, and unloaded with everything
// that depends on it (mapping -> space -> kernel, thread -> space, a signal mapping ->
// its signal thread), each object written back to its owner's ring.
//
// Every unload happens in two phases. The plan_* functions (check phase) take the ring
// room the whole cascade will use into a WritebackPlan and change nothing; the choose_*
// functions find a victim whose cascade fits a plan; the drop_* functions (commit phase)
// then cannot fail. The explicit unloads of a space, a kernel or a page are whole when
// their writebacks fit the rings now, refused with CK_E_RETRY (nothing changed) when they
// would fit emptied rings, and otherwise, being larger than a ring can ever hold, done as
// a restartable sequence of such steps (one mapping, one thread, the object itself) that
// stops with CK_E_PARTIAL when the next step does not fit, as seL4's preemptible
// deletion does.
//
// Owns: the mapping clock's hand (the descriptor caches keep their own).
// Lock rules: "locked" protects an object only while what it depends on is locked too;
// the running thread and the spaces it runs in are never victims; threads and spaces in
// messaging leave only by explicit unload, since their cascades reach other kernels'
// rings; a signal mapping is a victim unless its flush would take a pinned mapping.
#pragma once

#include "memory_map.h"
#include "object_tables.h"
#include "resource_control.h"
#include "scheduler.h"
#include "writeback.h"

namespace ck {

class Replacement {
 public:
  Replacement(ObjectTables& tables, ResourceControl& resources, MemoryMap& map, Writeback& writeback,
              Scheduler& scheduler, Messaging& messaging)
      : tables_(tables),
        resources_(resources),
        map_(map),
        writeback_(writeback),
        scheduler_(scheduler),
        messaging_(messaging) {}
  void reset() {
    mapping_hand_ = 0;
    reclaiming_space_ = ObjectId();
    reclaiming_kernel_ = ObjectId();
  }

  // ---- Check phase: plans and victims --------------------------------------------
  bool plan_mapping(u32 record, WritebackPlan& plan) const;
  bool plan_thread(u32 slot, WritebackPlan& plan) const;
  bool plan_space(u32 slot, WritebackPlan& plan) const;
  bool plan_kernel(u32 slot, WritebackPlan& plan) const;
  // Whether dropping the mapping, or the thread, alone fits the rings now: the plan of
  // one operation, with no plan kept when it writes one record (the common case).
  bool mapping_fits(u32 record, const Mapping& m) const;
  bool thread_fits(u32 slot) const;
  // A victim whose cascade fits `plan` (its room then taken), or kNoSlot with *status
  // CK_E_RETRY (some did not fit) or CK_E_NO_DESCRIPTOR (none may be reclaimed). Only
  // the clock's referenced and used bits change.
  // The same for a kernel victim (its objects: those of all its spaces, and itself);
  // reclaim_kernel() takes a large one a few objects a call.
  u32 choose_kernel(u32 caller, WritebackPlan& plan, ck_status* status, bool* large);
  // A space victim: `*large` when it holds more than a call may reclaim (kMaxSteps
  // objects); then nothing is planned, and reclaim_space() takes it a few objects a call.
  // For a load by kernel `loader`: a space holding another kernel's thread in its handler
  // (within that kernel's quota of locked threads) is kept, as that thread would be.
  u32 choose_space(u32 loader, WritebackPlan& plan, ck_status* status, bool* large);
  // A thread victim for a load by kernel `loader` (its own threads in their handlers go
  // before another kernel's: see replacement.cpp).
  u32 choose_thread(u32 loader, WritebackPlan& plan, ck_status* status);
  // A mapping record other than `exclude`, and when `exclude` has a signal thread, not
  // of its page (whose flush would take it too).
  u32 choose_mapping(WritebackPlan& plan, u32 exclude, ck_status* status);
  // Victims that free `count` (1 or 2) mapping records, their writebacks planned
  // together; unused entries of `victims` stay MemoryMap::kNone.
  ck_status choose_mappings(u32 count, u32 victims[2]);

  // ---- Commit phase (planned before) --------------------------------------------
  void drop_mapping(u32 record, u16 flags) { drop_mapping(record, map_.mapping(record), flags); }
  void drop_mapping(u32 record, const Mapping& m, u16 flags);
  void drop_thread(u32 slot, u16 flags, u32 exception = 0, VirtAddr address = VirtAddr(0));
  void drop_space(u32 slot, u16 flags);
  void drop_kernel(u32 slot, u16 flags);

  // A large victim's next kMaxSteps objects (mappings, then threads, then itself),
  // written back as reclaimed: CK_E_PARTIAL (the load is to be called again; the victim
  // stays the one reclaimed until it is gone), or CK_E_RETRY when its next object's
  // writeback does not fit (nothing changed).
  ck_status reclaim_space(u32 slot);
  ck_status reclaim_kernel(u32 slot);

  // ---- Restartable unloads --------------------------------------------------------
  ck_status unload_space(u32 slot, u16 flags);
  ck_status unload_kernel(u32 slot, u16 flags);
  // Every mapping of `page` `accept` takes, one step each.
  template <typename Accept>
  ck_status unload_page(PhysAddr page, Accept&& accept) {
    auto plan_all = [&](WritebackPlan& plan) {
      bool fits = true;
      map_.for_each_of_page(page, [&](u32 i, const Mapping& m) {
        if (accept(m)) fits = fits && plan_mapping(i, plan);
      });
      return fits;
    };
    // One walk over the page's mappings, each of the others looked at once per call; a
    // receiver's drop flushes writable ones, so the receivers go last, one at a time.
    auto steps = [&](Progress& p, bool bounded) {
      ck_status status = CK_OK;
      auto take = [&](u32 record, const Mapping& m) {
        if (status != CK_OK || !accept(m)) return;
        if (!mapping_fits(record, m)) {
          status = p.stopped();
        } else {
          drop_mapping(record, m, 0);
          if (!p.step() && bounded) status = CK_E_PARTIAL;
        }
      };
      map_.for_each_sender_or_plain_of_page(page, take);
      while (status == CK_OK) {
        const u32 record = map_.first_receiver_of_page(page, accept);
        if (record == MemoryMap::kNone) break;
        take(record, map_.mapping(record));
      }
      return status;
    };
    // Few: counted exactly (whole or nothing); else the page's count bounds them.
    u32 objects = map_.mappings_of_page(page);
    if (objects <= kMaxSteps) {
      objects = 0;
      map_.for_each_of_page(page, [&](u32, const Mapping& m) { objects += accept(m) ? 1 : 0; });
    }
    return whole_or_in_steps(
        objects, plan_all,
        [&] {
          Progress p;
          steps(p, false);
        },
        [&](Progress& p) { return steps(p, true); });
  }

  // ---- Lock rules ----------------------------------------------------------------
  bool kernel_pinned(u32 kernel) const { return tables_.kernels().locked(kernel); }
  bool space_pinned(u32 space) const;
  bool thread_pinned(u32 thread) const;
  bool mapping_pinned(u32 record, const Mapping& m) const;
  // A signal mapping whose drop would flush a pinned writable mapping of its page (the
  // SRM's ring, mapped locked and again in message mode): never a victim, since a
  // reclaim must leave locked mappings whole. Explicit unloads still flush (§4.2).
  bool flushes_pinned(u32 record, const Mapping& m) const;
  // In use by the running thread: never reclaimed under it.
  bool space_busy(u32 space) const;
  // The space or a thread of it is part of messaging.
  bool has_signals(u32 space) const { return map_.signal_mappings(space) != 0 || map_.signal_threads(space) != 0; }

  // A record the Cache Kernel writes for itself (a fault notice to the first kernel),
  // planned by the caller.
  void write(u32 kernel, const ck_writeback& record) { writeback_.write(kernel, record); }

 private:
  // How far a restartable unload got in this call. Interrupts are masked during a call,
  // so one call takes kMaxSteps steps at most (each an object and its writeback, about
  // a thousand instructions, more for a thread) and then answers CK_E_PARTIAL: a space of
  // 65,536 mappings leaves over many calls, never in one long stretch.
  static constexpr u32 kMaxSteps = 4;
  struct Progress {
    bool made = false;
    u32 steps = 0;
    ck_status stopped() const { return made ? CK_E_PARTIAL : CK_E_RETRY; }
    // Counts a step; false when this call has taken all it may.
    bool step() {
      made = true;
      return ++steps < kMaxSteps;
    }
  };
  // The one rule of an explicit unload of `objects` objects (an upper bound): when there
  // are few, `whole()` when `plan` (of all their writebacks) fits the rings now, and
  // CK_E_RETRY, nothing changed, when it would fit emptied rings; else `steps`
  // (restartable, CK_E_PARTIAL until done).
  template <typename Plan, typename Whole, typename Steps>
  ck_status whole_or_in_steps(u32 objects, Plan&& plan, Whole&& whole, Steps&& steps) {
    if (objects <= kMaxSteps) {
      WritebackPlan now(writeback_);
      if (plan(now)) {
        whole();
        return CK_OK;
      }
      WritebackPlan empty(writeback_, WritebackPlan::From::Empty);
      if (plan(empty)) return CK_E_RETRY;
    }
    Progress p;
    return steps(p);
  }
  // Objects an unload of the space takes with it (itself included), at most.
  u32 objects_of_space(u32 slot) const;

  // The mapping alone, its writeback planned; true when it had a signal thread (its
  // page's writable mappings must then be flushed).
  bool remove_mapping(u32 record, const Mapping& m, u16 flags);
  // Every thread that depends on the space: it belongs to it, or runs its kernel's
  // exception handler in it (only a kernel's home space has those).
  template <typename Visit>
  void for_each_dependent(u32 space, Visit&& visit) const {
    const SpaceObject& s = tables_.space(space);
    if (s.threads == 0 && !s.home) return;
    // Another space's threads run only in a home space: elsewhere, stop at its own count.
    u32 left = s.home ? kThreadCapacity : s.threads;
    for (u32 t = 0; t < kThreadCapacity && left != 0; ++t) {
      if (tables_.threads().loaded(t) &&
          (tables_.thread(t).home_space() == space || tables_.thread(t).space == &s.tables)) {
        left -= s.home ? 0 : 1;
        visit(t);
      }
    }
  }
  ck_status unload_space_steps(u32 slot, u16 flags, Progress& p);
  ck_status unload_kernel_steps(u32 slot, u16 flags, Progress& p);
  void write_back_thread(const ThreadObject& t, u16 flags, u32 exception, VirtAddr address);

  ObjectTables& tables_;
  ResourceControl& resources_;
  MemoryMap& map_;
  Writeback& writeback_;
  Scheduler& scheduler_;
  Messaging& messaging_;
  u32 mapping_hand_ = 0;
  // The large space being reclaimed across loads (its id: gone when stale), so that
  // successive loads finish one victim instead of thinning many.
  ObjectId reclaiming_space_, reclaiming_kernel_;
  // Objects a reclaim of the space takes (not a home, no signals: mappings and threads)
  // or of the kernel: more than kMaxSteps leave over several calls.
  u32 counted_objects(u32 space) const;
  bool space_large(u32 slot) const;
  bool kernel_large(u32 slot) const;
  // Bounds of one search of the mapping clock (choose_mapping).
  static constexpr u32 kSecondChances = 64;
  static constexpr u32 kMaxLooks = 2048;
};

}  // namespace ck
