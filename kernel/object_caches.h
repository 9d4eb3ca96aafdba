// The Cache Kernel's object caches (paper §2, §4.1-§4.3, Table 1): kernels, address
// spaces, threads and page mappings, loaded and unloaded by application kernels,
// reclaimed when full, written back to their owners, with the dependencies of
// Figure 6 (mapping -> space -> kernel, thread -> space). Every operation checks all
// its arguments before it changes anything and returns a ck_status.
//
// The operations are split by object type: kernel_objects.cpp, space_objects.cpp,
// thread_objects.cpp, mapping_objects.cpp; writeback.cpp writes displaced objects to
// their owners' rings; forwarding.cpp hands exceptions to the owning kernel;
// consistency.cpp checks the invariants. Portable; host-tested with small capacities.
#pragma once

#include "config.h"
#include "descriptor_cache.h"
#include "lib/format.h"
#include "objects.h"
#include "physmap.h"
#include "reverse_tlb.h"
#include "run_queue.h"
#include "writeback_ring.h"

namespace ck {

// What the Cache Kernel needs to start the first kernel (§2.4), set up at boot.
struct FirstKernelSetup {
  PhysRange memory;  // granted read-write (whole page groups)
  PhysAddr ring;     // its writeback ring (in `memory`)
  u32 ring_bytes = 0;
  VirtAddr handler;
};

// An exception to hand to a thread's kernel (forwarding.cpp).
struct ExceptionReport {
  u32 kind = CK_EXC_UNKNOWN;  // ck_exception_kind
  u32 vector = 0;             // trap number, or the machine's vector
  VirtAddr address;
  u32 access = 0;  // CK_ACCESS_* | bytes << 8
};

// A driver of device pages (devices.h): CK_SIGNAL on its page comes to it.
class Device {
 public:
  virtual void signalled(u32 offset) = 0;

 protected:
  ~Device() = default;
};

class ObjectCaches {
 public:
  using Kernels = DescriptorCache<KernelObject, kKernelCapacity, ObjectType::Kernel>;
  using Spaces = DescriptorCache<SpaceObject, kSpaceCapacity, ObjectType::AddressSpace>;
  using Threads = DescriptorCache<ThreadObject, kThreadCapacity, ObjectType::Thread>;

  // Empty caches. The physical memory map's records and buckets are the object's own.
  void init();
  // Unloads everything, the first kernel included, without writeback (test teardown).
  void clear();

  // Creates the first kernel (the SRM, §2.4): locked, every lock quota at the maximum,
  // all of the CPU and every priority, read-write access to `setup.memory`.
  u32 create_first_kernel(const FirstKernelSetup& setup);
  u32 first_kernel() const { return srm_; }

  // ---- The call interface; `caller` is the calling kernel's slot ----------------
  ck_status load_kernel(u32 caller, const ck_kernel_desc& desc, ObjectId* id);
  ck_status unload_kernel(u32 caller, ObjectId id);
  ck_status load_space(u32 caller, ObjectId owner, u32 cookie, u32 flags, ObjectId* id);
  ck_status unload_space(u32 caller, ObjectId id);
  ck_status load_thread(u32 caller, ObjectId space, u32 cookie, u32 flags, const ck_thread_state& state, ObjectId* id);
  ck_status unload_thread(u32 caller, ObjectId id);
  ck_status load_mapping(u32 caller, ObjectId space, VirtAddr va, PhysAddr pa, u32 flags,
                         ObjectId signal_thread = ObjectId());
  ck_status unload_mapping(u32 caller, ObjectId space, VirtAddr va);
  ck_status unload_page(u32 caller, PhysAddr pa);
  ck_status set_memory_access(u32 caller, ObjectId kernel, PhysAddr base, u32 bytes, u32 rights);
  ck_status set_cpu(u32 caller, ObjectId kernel, u32 percent, u32 max_priority);
  ck_status set_lock_quota(u32 caller, ObjectId kernel, u32 type, u32 count);
  ck_status set_priority(u32 caller, ObjectId thread, u32 priority);

  // ---- Scheduling (§2.3, §4.3; scheduling.cpp) -----------------------------------
  // `self` is the calling thread: its own CK_BLOCK returns when it is woken, or at once
  // (`value`: the time) when a wake-up came first.
  ck_status block_thread(u32 caller, ObjectId id, u32 timeout_ns, ThreadObject& self, u32* value);
  ck_status wake_thread(u32 caller, ObjectId id);
  ck_status thread_stats(u32 caller, ObjectId id, const ThreadObject& self, ck_thread_stats* out) const;
  ck_status kernel_stats(u32 caller, ObjectId id, u32 self_kernel, ck_kernel_stats* out) const;
  // `ns` of processor time the thread just used; `dispatch_ended` when it then lost the
  // processor (ck_thread_stats::dispatches counts those).
  void charge(ThreadObject& t, u64 ns, bool dispatch_ended = true);
  // The tick count reached `ticks` at time `now`: timed blocks end, the share window
  // moves on, kernels over or back under their share change level.
  void tick(u64 ticks, u64 now);
  // Some thread waits for a timeout: the processor must idle, not stop.
  bool has_timed_blocks() const { return sleepers_ != nullptr; }

  // ---- Memory-based messaging (§2.2, §4.1, §4.2; signals.cpp) --------------------
  // A signal on `va` in the sender's current space to the signal threads of the
  // page's other mappings; *delivered counts those that got it.
  ck_status signal(ThreadObject& sender, VirtAddr va, u32* delivered);
  // From the signal function: the next queued signal, or back to the interrupted state.
  ck_status signal_return(ThreadObject& t);
  // The next signal's address in *value, or the thread blocks until one comes.
  ck_status wait_signal(ThreadObject& t, u32* value);
  const ReverseTlb& reverse_tlb() const { return rtlb_; }
  // Device pages (devices.h): `device` receives the signals on `page` (nullptr: none).
  // False when the table is full.
  bool attach_device(PhysAddr page, Device* device);
  // A signal from the Cache Kernel itself (a driver, the writeback channel) on a
  // physical page: to the signal threads of the page's mappings.
  void signal_physical(PhysAddr page, u32 offset) {
    if (signal_records_ != 0) signal_page(page, offset, kNoSlot);
  }

  // ---- Exceptions (§2.1, §2.3; forwarding.cpp) ----------------------------------
  // Hands `report` to the thread's kernel: the thread goes on in the kernel's handler.
  // False when it cannot (no handler, a fault in the handler, no stack): the thread has
  // then been unloaded with CK_WB_FAULTED (or halted when even that had no room).
  bool forward(ThreadObject& thread, const ExceptionReport& report);
  // The handler is done: the thread resumes its own context, with the registers of
  // `frame` (in the handler's space) when `flags` has CK_RESUME_REGISTERS.
  ck_status resume(ThreadObject& thread, u32 flags, VirtAddr frame);

  // ---- Queries ------------------------------------------------------------------
  // Checks every invariant; writes the first violation to `report` when given.
  bool consistent(Sink* report = nullptr) const;
  // A digest of the caches' contents (identifiers, cookies, rights, mappings, locks).
  u32 digest() const;
  u32 loaded(ck_object_type type) const;

  // The thread the processor runs (never chosen for reclamation), or null.
  void set_current(ThreadObject* thread) { current_ = thread; }
  ThreadObject* current() const { return current_; }

  RunQueue& run_queue() { return run_queue_; }
  Kernels& kernels() { return kernels_; }
  Spaces& spaces() { return spaces_; }
  Threads& threads() { return threads_; }
  const PhysMap& physmap() const { return physmap_; }

  // The kernel a slot names and its ring.
  WritebackRing ring_of(u32 kernel);

 private:
  // Identifier lookups, with the ABI's errors.
  ck_status find_kernel(ObjectId id, u32* slot) const;
  ck_status find_space(ObjectId id, u32* slot) const;
  ck_status find_thread(ObjectId id, u32* slot) const;
  ck_status check_owner(u32 caller, u32 owner) const;

  // Locked-object quotas (§4.2).
  ck_status charge_lock(u32 kernel, ck_object_type type);
  void release_lock(u32 kernel, ck_object_type type);

  // "Locked" protects an object from reclamation only while what it depends on is
  // locked too (§4.2).
  bool kernel_pinned(u32 kernel) const;
  bool space_pinned(u32 space) const;
  bool thread_pinned(u32 thread) const;
  bool mapping_pinned(u32 record) const;
  // In use by the running thread: never reclaimed under it.
  bool space_busy(u32 space) const;

  // The clock's choice among the slots `eligible` accepts whose writeback `fits` the
  // owner's ring; kNoSlot with CK_E_RETRY (some did not fit) or CK_E_NO_DESCRIPTOR.
  template <typename Cache, typename Eligible, typename Fits>
  static u32 pick_victim(Cache& cache, Eligible&& eligible, Fits&& fits, ck_status* status) {
    bool ring_full = false;
    const u32 victim = cache.choose_victim([&](u32 slot) {
      if (!eligible(slot)) return false;
      if (fits(slot)) return true;
      ring_full = true;
      return false;
    });
    if (victim != Cache::kNone) return victim;
    *status = ring_full ? CK_E_RETRY : CK_E_NO_DESCRIPTOR;
    return kNoSlot;
  }

  // Reclamation: a victim's slot, written back (with everything that depends on it);
  // kNoSlot with *status saying why none could be.
  u32 reclaim_kernel(u32 caller, ck_status* status);
  u32 reclaim_space(ck_status* status);
  u32 reclaim_thread(ck_status* status);
  bool reclaim_mapping(ck_status* status);

  // Unloading, dependents first, each object written back as it goes. drop_space and
  // drop_kernel stop with CK_E_RETRY when the ring fills (what is unloaded stays so);
  // reclamation checks the room first (space_fits), so for it they always finish.
  void drop_mapping(u32 space, VirtAddr va, u32 record, u16 flags);
  void drop_mapping_at(u32 space, VirtAddr va, u16 flags);
  void drop_thread(u32 slot, u16 flags, u32 exception = 0, VirtAddr address = VirtAddr(0));
  ck_status drop_space(u32 slot, u16 flags);
  ck_status drop_kernel(u32 slot, u16 flags);
  // Slots the writeback of a space and all that depends on it takes, in order.
  bool space_fits(u32 slot, RingRoom& room) const;
  u32 find_mapping_record(u32 space, VirtAddr va, PhysAddr pa) const;

  // Writeback records (writeback.cpp), each written with write_record.
  void write_record(u32 kernel, const ck_writeback& record, const void* extra, u32 extra_bytes);
  void write_back_mapping(u32 space, VirtAddr va, PhysAddr pa, u16 flags, u32 signal_thread = 0);
  void write_back_thread(ThreadObject& t, u16 flags, u32 exception, VirtAddr address);
  void write_back_space(u32 slot, u16 flags);
  void write_back_kernel(u32 slot, u16 flags);

  // Makes a thread unrunnable and forgets its contexts (before its slot is reused).
  void retire_thread(ThreadObject& t);

  // Scheduling (scheduling.cpp): the run-queue level of a thread, by its priority and
  // whether its kernel is within its share; queueing a ready thread; the timed blocks.
  u8 run_level(const ThreadObject& t) const;
  void make_ready(ThreadObject& t);
  void requeue(ThreadObject& t);
  void requeue_kernel(u32 kernel);
  void unblock(ThreadObject& t, u64 now);
  void insert_sleeper(ThreadObject& t);
  void remove_sleeper(ThreadObject& t);
  bool over_share(const KernelObject& k, u64 now) const;

  // The room left in each kernel's ring while an operation plans its writebacks.
  class RingRooms {
   public:
    explicit RingRooms(const ObjectCaches& caches) : caches_(caches) {}
    bool take(u32 kernel, u32 slots);

   private:
    const ObjectCaches& caches_;
    RingRoom room_[kKernelCapacity];
    bool known_[kKernelCapacity] = {};
  };
  RingRoom room_of(u32 kernel) const;

  // Signals (signals.cpp).
  u32 signal_record_of(u32 mapping_record) const;
  // A signal on physical `page` + `offset` to its mappings' signal threads but
  // `sender` (a thread slot, or kNoSlot); false if a receiver's queue was full.
  bool signal_page(PhysAddr page, u32 offset, u32 sender, u32* delivered = nullptr);
  bool deliver(ThreadObject& t, u32 va);
  void enter_signal(ThreadObject& t, u32 va);
  // Enters the signal function for the oldest queued signal if the thread can take it.
  void deliver_pending(ThreadObject& t);
  void add_signal_record(u32 mapping_record, u32 thread);
  // Removes a mapping record's signal record; returns the signal thread's slot.
  u32 drop_signal_record(u32 mapping_record);
  // Multi-mapping consistency (§4.2): the writable mappings of `page`, written back.
  void flush_writable(PhysAddr page);
  // Whether the space or a thread of it is part of messaging (then only an explicit
  // unload, not reclamation, takes it: its writebacks reach other kernels' rings).
  bool has_signals(u32 space) const;
  // Whether the writebacks of dropping mapping record `record` (and the writable
  // mappings it flushes) fit in the owners' rings; takes their room from `rooms`.
  bool mapping_drop_fits(u32 record, RingRooms& rooms) const;
  bool thread_drop_fits(u32 slot, RingRooms& rooms) const;
  // The same for one operation alone (no RingRooms unless signals are involved).
  bool mapping_drop_room(u32 record) const;
  bool thread_drop_room(u32 slot) const;
  // Drops every mapping that names the thread as its signal thread.
  void drop_signal_mappings_of(u32 thread);
  void update_throttle(u32 kernel, u64 now);
  // Unloads a thread whose exception cannot be forwarded (forwarding.cpp).
  void fail_exception(ThreadObject& t, const ExceptionReport& report);

  Kernels kernels_;
  Spaces spaces_;
  Threads threads_;
  DependencyRecord records_[kMappingCapacity];
  u32 buckets_[physmap_buckets(kMappingCapacity)];
  PhysMap physmap_;
  ReverseTlb rtlb_;
  u32 signal_records_ = 0;  // with none, no page has a receiver: nothing to look up
  u32 device_count_ = 0;
  static constexpr u32 kDevicePages = 8;
  struct DevicePage {
    PhysAddr page;
    Device* device = nullptr;
  } devices_[kDevicePages];
  u32 mapping_hand_ = 0;
  RunQueue run_queue_;
  ThreadObject* sleepers_ = nullptr;  // timed blocks, soonest first
  ShareClock share_clock_;
  u64 next_bucket_tick_ = 0;
  ThreadObject* current_ = nullptr;
  u32 srm_ = kNoSlot;
  PageGroups scratch_rights_;
};

// Mapping records in the physical memory map: key = physical page, dependent = virtual
// page | flag bits, context = the address space's slot.
namespace mapping_record {
inline constexpr u32 kLocked = 1u << 0;
inline constexpr u32 kWritable = 1u << 1;
inline constexpr u32 kMessage = 1u << 2;
inline constexpr u32 kSignal = 1u << 3;  // it has a signal record
inline constexpr u32 kFlagMask = 0xfff;
}  // namespace mapping_record

}  // namespace ck
