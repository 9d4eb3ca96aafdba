// The object caches (object_caches.h): set-up, identifier lookups, ownership, locking.
#include "object_caches.h"

#include "clock.h"

namespace ck {

namespace {
constexpr u16 kUnlimited = 0xffff;
}  // namespace

void ObjectCaches::init() {
  kernels_.reset();
  spaces_.reset();
  threads_.reset();
  physmap_.init(records_, kMappingCapacity, buckets_, physmap_buckets(kMappingCapacity));
  rtlb_.clear();
  signal_records_ = 0;
  mapping_hand_ = 0;
  run_queue_ = RunQueue();
  sleepers_ = nullptr;
  share_clock_.start(arch::clock_ns());
  next_bucket_tick_ = clock::ticks();
  current_ = nullptr;
  srm_ = kNoSlot;
}

void ObjectCaches::clear() {
  for (u32 t = 0; t < kThreadCapacity; ++t)
    if (threads_.loaded(t)) retire_thread(threads_[t]);
  for (u32 s = 0; s < kSpaceCapacity; ++s)
    if (spaces_.loaded(s)) arch::destroy_page_tables(spaces_[s].tables.tables);
  init();
}

u32 ObjectCaches::create_first_kernel(const FirstKernelSetup& setup) {
  const u32 slot = kernels_.allocate();
  KernelObject& k = kernels_[slot];
  k = KernelObject{};
  k.rights.set(setup.memory.base, setup.memory.size, Rights::ReadWrite);
  k.handler = setup.handler;
  k.ring = setup.ring;
  k.ring_slots = setup.ring_bytes / CK_RING_SLOT_BYTES;
  k.cpu_percent = 100;
  k.max_priority = kMaxPriority;
  for (u16& q : k.lock_quota) q = kUnlimited;
  k.locked[CK_OBJECT_KERNEL] = 1;
  kernels_.set_locked(slot, true);
  srm_ = slot;
  ring_of(slot).reset();
  return slot;
}

WritebackRing ObjectCaches::ring_of(u32 kernel) {
  KernelObject& k = kernels_[kernel];
  return WritebackRing(arch::physical_memory(k.ring), k.ring_slots, &k.ring_head);
}

namespace {
// The slot `id` names in `cache`, with the ABI's errors.
template <typename Cache>
ck_status find_in(const Cache& cache, ObjectId id, u32* slot) {
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
}  // namespace

ck_status ObjectCaches::find_kernel(ObjectId id, u32* slot) const { return find_in(kernels_, id, slot); }
ck_status ObjectCaches::find_space(ObjectId id, u32* slot) const { return find_in(spaces_, id, slot); }
ck_status ObjectCaches::find_thread(ObjectId id, u32* slot) const { return find_in(threads_, id, slot); }

ck_status ObjectCaches::check_owner(u32 caller, u32 owner) const {
  return caller == owner || caller == srm_ ? CK_OK : CK_E_NOT_OWNER;
}

ck_status ObjectCaches::charge_lock(u32 kernel, ck_object_type type) {
  KernelObject& k = kernels_[kernel];
  if (k.locked[type] >= k.lock_quota[type]) return CK_E_QUOTA;
  k.locked[type] += 1;
  return CK_OK;
}

void ObjectCaches::release_lock(u32 kernel, ck_object_type type) { kernels_[kernel].locked[type] -= 1; }

bool ObjectCaches::kernel_pinned(u32 kernel) const { return kernels_.locked(kernel); }

bool ObjectCaches::space_pinned(u32 space) const {
  return spaces_.locked(space) && kernel_pinned(spaces_[space].kernel);
}

bool ObjectCaches::thread_pinned(u32 thread) const {
  return threads_.locked(thread) && space_pinned(threads_[thread].home_space);
}

bool ObjectCaches::mapping_pinned(u32 record) const {
  const DependencyRecord& r = physmap_.record(record);
  if ((r.dependent & mapping_record::kLocked) == 0 || !space_pinned(r.context)) return false;
  // And its signal thread, if it has one (§4.2).
  return (r.dependent & mapping_record::kSignal) == 0 ||
         thread_pinned(physmap_.record(signal_record_of(record)).dependent);
}

bool ObjectCaches::space_busy(u32 space) const {
  if (current_ == nullptr) return false;
  return current_->home_space == space || current_->space == &spaces_[space].tables;
}

u32 ObjectCaches::loaded(ck_object_type type) const {
  switch (type) {
    case CK_OBJECT_KERNEL:
      return kernels_.loaded_count();
    case CK_OBJECT_SPACE:
      return spaces_.loaded_count();
    case CK_OBJECT_THREAD:
      return threads_.loaded_count();
    case CK_OBJECT_MAPPING:
      return physmap_.used();
  }
  return 0;
}

}  // namespace ck
