// The Cache Kernel's object caches (paper §2, §4, Table 1): kernels, address spaces,
// threads and page mappings, loaded and unloaded by application kernels, reclaimed when
// full, written back to their owners. This class is the composition of the parts and
// the call interface over them; it keeps no state of its own. The parts, each owning
// its state behind its interface (see each header for what it owns and keeps true):
//
//   object_tables.h     the kernel, space and thread descriptors (§2.1-§2.4)
//   resource_control.h  page groups and locked-object quotas (§4.3)
//   memory_map.h        mappings: page tables, physical memory map, signal records (§4.1)
//   scheduler.h         run queue, timed blocks, CPU shares (§2.3, §4.3)
//   messaging.h         signal delivery (§2.2); device_table.h the drivers' pages
//   writeback.h         the kernels' writeback rings and planning their room (§2)
//   replacement.h       victims, lock rules, cascades (§4.2)
//   forwarding.h        exceptions to the owning kernel (§2.3)
//
// Every call runs in two phases, as seL4's decode/invoke: a check phase that validates
// every argument and reserves every resource the call will use (ring room, a free slot
// or a victim, quota, page tables), then a commit phase that cannot fail. A refused call
// has changed nothing but the replacement clock's referenced bits. The operations are
// in kernel_objects.cpp, space_objects.cpp, thread_objects.cpp, mapping_objects.cpp;
// the invariant checker and digest in invariants.cpp. Portable; host-tested.
#pragma once

#include "config.h"
#include "device_table.h"
#include "forwarding.h"
#include "lib/format.h"
#include "memory_map.h"
#include "messaging.h"
#include "object_tables.h"
#include "replacement.h"
#include "resource_control.h"
#include "scheduler.h"
#include "writeback.h"

namespace ck {

// What the Cache Kernel needs to start the first kernel (§2.4), set up at boot.
struct FirstKernelSetup {
  PhysRange memory;       // granted read-write (whole page groups)...
  PhysRange read_only{};  // ...but for these groups in it, readable only: the PROM table's copy
  PhysAddr ring;          // its writeback ring (in `memory`)
  u32 ring_bytes = 0;
  VirtAddr handler;
  bool handler_no_fpu = false;  // as CK_KERNEL_HANDLER_NO_FPU (its image's kAkHandlerNoFpu)
};

class ObjectCaches {
 public:
  using Kernels = ObjectTables::Kernels;
  using Spaces = ObjectTables::Spaces;
  using Threads = ObjectTables::Threads;

  ObjectCaches();
  ObjectCaches(const ObjectCaches&) = delete;
  ObjectCaches& operator=(const ObjectCaches&) = delete;

  // Empty caches.
  void init();
  // Unloads everything, the first kernel included, without writeback (test teardown).
  void clear();

  // Creates the first kernel (the SRM, §2.4): locked, every lock quota at the maximum,
  // all of the CPU and every priority, read-write access to `setup.memory`.
  u32 create_first_kernel(const FirstKernelSetup& setup);
  u32 first_kernel() const { return tables_.first_kernel(); }

  // ---- The call interface; `caller` is the calling kernel's slot ----------------
  ck_status load_kernel(u32 caller, const ck_kernel_desc& desc, ObjectId* id);
  ck_status unload_kernel(u32 caller, ObjectId id);
  ck_status load_space(u32 caller, ObjectId owner, u32 cookie, u32 flags, ObjectId* id);
  // load_space when a space slot is free (tables().has_free_space()): its answer, without
  // the victim's code (CK_LOAD_SPACE's own hook, CacheKernel::plain_call).
  ck_status load_free_space(u32 caller, ObjectId owner, u32 cookie, u32 flags, ObjectId* id);
  ck_status unload_space(u32 caller, ObjectId id);
  ck_status load_thread(u32 caller, ObjectId space, u32 cookie, u32 flags, const ck_thread_state& state, ObjectId* id);
  // load_thread when a thread slot is free (tables().has_free_thread()): its answer,
  // without the victim's code (CacheKernel::plain_call).
  ck_status load_free_thread(u32 caller, ObjectId space, u32 cookie, u32 flags, const ck_thread_state& state,
                             ObjectId* id);
  ck_status unload_thread(u32 caller, ObjectId id);
  // `written`: CK_LOAD_MAPPING_RESUME for a thread whose faulted write to the page is
  // retried next (arch::map_page installs it modified).
  ck_status load_mapping(u32 caller, ObjectId space, VirtAddr va, PhysAddr pa, u32 flags,
                         ObjectId signal_thread = ObjectId(), bool written = false);
  // What load_mapping_plain does not take (a flag beyond write and no-cache, a signal
  // thread, no free record): load_mapping answers those. Pure, inline.
  bool plain_load_declined(u32 flags, ObjectId signal_thread) const {
    return (flags & ~(CK_MAP_WRITE | CK_MAP_NOCACHE)) != 0 || signal_thread.raw() != 0 || map_.free_records() == 0;
  }
  // load_mapping's common case (no lock, message page, signal thread or victim), for a
  // call plain_load_declined let through: load_mapping's answer (`written` as its).
  ck_status load_mapping_plain(u32 caller, ObjectId space, VirtAddr va, PhysAddr pa, u32 flags, ObjectId signal_thread,
                               bool written = false);
  ck_status unload_mapping(u32 caller, ObjectId space, VirtAddr va);
  ck_status unload_page(u32 caller, PhysAddr pa);
  ck_status set_memory_access(u32 caller, ObjectId kernel, PhysAddr base, u32 bytes, u32 rights);
  ck_status set_cpu(u32 caller, ObjectId kernel, u32 percent, u32 max_priority);
  ck_status set_lock_quota(u32 caller, ObjectId kernel, u32 type, u32 count);
  ck_status set_priority(u32 caller, ObjectId thread, u32 priority);
  // CK_SET_THREAD_VALUE: thread 0 is the caller itself.
  ck_status set_thread_value(u32 caller, ObjectId thread, u32 call, u32 value, ThreadObject& self);

  // ---- Scheduling (§2.3, §4.3) ----------------------------------------------------
  // `self` is the calling thread: its own CK_BLOCK returns when it is woken, or at once
  // (`value`: the time) when a wake-up came first.
  ck_status block_thread(u32 caller, ObjectId id, u32 timeout_ns, ThreadObject& self, u32* value);
  ck_status wake_thread(u32 caller, ObjectId id);
  ck_status thread_stats(u32 caller, ObjectId id, const ThreadObject& self, ck_thread_stats* out) const;
  ck_status kernel_stats(u32 caller, ObjectId id, u32 self_kernel, ck_kernel_stats* out) const;
  void charge(ThreadObject& t, u32 ns, bool dispatch_ended = true) { scheduler_.charge(t, ns, dispatch_ended); }
  // A switch's charge, settled at the next tick (Scheduler::charge_switch).
  void charge_switch(ThreadObject& t, u32 ns) { scheduler_.charge_switch(t, ns); }
  // The tick count reached `ticks` at time `now`: timed blocks end, the share window
  // moves on, kernels over or back under their share change level.
  void tick(u64 ticks, u64 now);
  // Some thread waits for a timeout: the processor must idle, not stop.
  bool has_timed_blocks() const { return scheduler_.has_timed_blocks(); }

  // ---- Memory-based messaging (§2.2) ----------------------------------------------
  ck_status signal(ThreadObject& sender, VirtAddr va, u32* delivered) {
    return messaging_.signal(sender, va, delivered);
  }
  ck_status signal_return(ThreadObject& t) { return messaging_.signal_return(t); }
  ck_status wait_signal(ThreadObject& t, u32* value) { return messaging_.wait_signal(t, value); }
  bool attach_device(PhysAddr page, Device* device) { return devices_.attach(page, device); }
  void signal_physical(PhysAddr page, u32 offset) { messaging_.signal_physical(page, offset); }
  const ReverseTlb& reverse_tlb() const { return map_.reverse_tlb(); }

  // ---- Exceptions (§2.1, §2.3) ----------------------------------------------------
  bool forward(ThreadObject& t, const ExceptionReport& report) { return forwarding_.forward(t, report); }
  bool forward_directly(ThreadObject& t, const ExceptionReport& report, arch::HandlerEntry* entry) {
    return forwarding_.forward_directly(t, report, entry);
  }
  arch::UserContext* enter_from_card(ThreadObject& t) { return forwarding_.enter_from_card(t); }
  ck_status resume(ThreadObject& t, u32 flags, VirtAddr frame, u32 result = 0) {
    return forwarding_.resume(t, flags, frame, result);
  }
  void resume_plain(ThreadObject& t) { forwarding_.resume_plain(t); }
  ck_status exception_fpu(ThreadObject& t, ck_fpu_registers* out) const { return forwarding_.exception_fpu(t, out); }
  ck_status set_exception_fpu(ThreadObject& t, const ck_fpu_registers& in) {
    return forwarding_.set_exception_fpu(t, in);
  }

  // ---- Queries --------------------------------------------------------------------
  // Checks every invariant; writes the first violation to `report` when given.
  bool consistent(Sink* report = nullptr) const;
  // A digest of the caches' contents (identifiers, cookies, rights, mappings, locks).
  u32 digest() const;
  u32 loaded(ck_object_type type) const;

  void set_current(ThreadObject* thread) { scheduler_.set_current(thread); }
  ThreadObject** current_slot() { return scheduler_.current_slot(); }
  ThreadObject* current() const { return scheduler_.current(); }
  RunQueue& run_queue() { return scheduler_.run_queue(); }

  // The parts, read-only (tests, statistics).
  const ObjectTables& tables() const { return tables_; }
  const Kernels& kernels() const { return tables_.kernels(); }
  const Spaces& spaces() const { return tables_.spaces(); }
  const Threads& threads() const { return tables_.threads(); }
  ThreadObject& thread(u32 slot) { return tables_.thread(slot); }
  const ResourceControl& resources() const { return resources_; }
  const MemoryMap& memory_map() const { return map_; }
  const Scheduler& scheduler() const { return scheduler_; }
  const Messaging& messaging() const { return messaging_; }
  RingRoom room_of(u32 kernel) const { return writeback_.room(kernel); }
  // The identifier of the kernel whose ring lacked room for the last CK_E_RETRY.
  u32 retry_blocker() const {
    const u32 k = writeback_.blocked();
    return k != kNoSlot && tables_.kernels().loaded(k) ? tables_.kernels().id_of(k).raw() : 0;
  }
  PhysAddr ring(u32 kernel) const { return writeback_.ring(kernel); }

 private:
  friend class Invariants;
  friend struct FastPathLayout;  // CK_LOAD_MAPPING's entry path (calls.cpp)

  // load_space's parts (space_objects.cpp): its argument checks (the owner's slot in
  // `owner`), the new tables (its last check), the space in a free slot.
  ck_status check_space_load(u32 caller, ObjectId owner_id, u32 flags, u32* owner) const;
  ck_status create_space_tables(u32 owner, PhysAddr* tables);
  void add_checked_space(u32 owner, PhysAddr tables, u32 cookie, u32 flags, ObjectId* id);
  // load_thread's parts (thread_objects.cpp): its argument checks (the space's slot in
  // `space`), the thread in a free slot.
  ck_status check_thread_load(u32 caller, ObjectId space_id, u32 flags, const ck_thread_state& state, u32* space) const;
  void add_checked_thread(u32 space, u32 cookie, u32 flags, const ck_thread_state& state, ObjectId* id);

  ObjectTables tables_;
  ResourceControl resources_;
  MemoryMap map_;
  Scheduler scheduler_;
  DeviceTable devices_;
  Messaging messaging_;
  Writeback writeback_;
  Replacement replacement_;
  Forwarding forwarding_;
};

}  // namespace ck
