// Memory-based messaging (paper §2.2, §4.1, §4.2): a mapping in message mode may name a
// signal thread, recorded in the physical memory map as a dependency record keyed by
// the mapping's own record. A signal on an address finds the page's other mappings
// with signal threads (the reverse TLB first, for a page with one receiver) and gives
// each its own virtual address: it enters the thread's signal function, or ends its
// CK_WAIT_SIGNAL, or waits in the thread's queue. Dropping a signal mapping flushes the
// page's writable mappings (multi-mapping consistency), so that a sender writing to a
// page whose receiver left faults first.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kPageMask = ~(arch::kPageBytes - 1);
// A signal record's key: its mapping record's index, never a page address (those have
// no low bits set). Its context is no address space.
constexpr u32 signal_key(u32 mapping_record) { return mapping_record << 12 | 0x800; }
constexpr u32 mapping_of_key(u32 key) { return key >> 12; }
constexpr u32 kSignalContext = 0xfffffff0;
// The signal function's stack starts this far below the interrupted stack pointer.
constexpr u32 kSignalRedZone = 128;
constexpr u32 kThreadRecordSlots = CK_WB_THREAD_SLOTS;

bool is_mapping(const DependencyRecord& r) { return r.context < kSpaceCapacity; }
}  // namespace

RingRoom ObjectCaches::room_of(u32 kernel) const { return const_cast<ObjectCaches*>(this)->ring_of(kernel).room(); }

bool ObjectCaches::RingRooms::take(u32 kernel, u32 slots) {
  if (!known_[kernel]) {
    room_[kernel] = caches_.room_of(kernel);
    known_[kernel] = true;
  }
  return room_[kernel].take(slots);
}

u32 ObjectCaches::signal_record_of(u32 mapping_record) const {
  u32 found = PhysMap::kNone;
  const_cast<PhysMap&>(physmap_).for_each(signal_key(mapping_record), [&](u32 i, const DependencyRecord& r) {
    if (r.context == kSignalContext) found = i;
  });
  return found;
}

void ObjectCaches::add_signal_record(u32 mapping_record, u32 thread) {
  const DependencyRecord& m = physmap_.record(mapping_record);
  physmap_.insert(signal_key(mapping_record), thread, kSignalContext);
  signal_records_ += 1;
  if (threads_[thread].signal_mappings++ == 0) spaces_[threads_[thread].home_space].signal_threads += 1;
  spaces_[m.context].signal_mappings += 1;
  // The page has another receiver now: its cached single receiver is no longer all.
  rtlb_.invalidate(m.key);
}

u32 ObjectCaches::drop_signal_record(u32 mapping_record) {
  const DependencyRecord m = physmap_.record(mapping_record);
  const u32 index = signal_record_of(mapping_record);
  const u32 thread = physmap_.record(index).dependent;
  if (--threads_[thread].signal_mappings == 0) spaces_[threads_[thread].home_space].signal_threads -= 1;
  spaces_[m.context].signal_mappings -= 1;
  physmap_.remove(index);
  signal_records_ -= 1;
  rtlb_.invalidate(m.key);
  return thread;
}

void ObjectCaches::flush_writable(PhysAddr page) {
  for (;;) {
    u32 victim = PhysMap::kNone;
    physmap_.for_each(page.value(), [&](u32 i, const DependencyRecord& r) {
      if (victim == PhysMap::kNone && is_mapping(r) && (r.dependent & mapping_record::kWritable) != 0) victim = i;
    });
    if (victim == PhysMap::kNone) return;
    const DependencyRecord r = physmap_.record(victim);
    drop_mapping(r.context, VirtAddr(r.dependent & ~mapping_record::kFlagMask), victim, CK_WB_FLUSHED);
  }
}

bool ObjectCaches::mapping_drop_fits(u32 record, RingRooms& rooms) const {
  const DependencyRecord& r = physmap_.record(record);
  if (!rooms.take(spaces_[r.context].kernel, 1)) return false;
  if ((r.dependent & mapping_record::kSignal) == 0) return true;
  // And the writable mappings of its page it flushes.
  bool fits = true;
  const_cast<PhysMap&>(physmap_).for_each(r.key, [&](u32 i, const DependencyRecord& o) {
    if (i != record && is_mapping(o) && (o.dependent & mapping_record::kWritable) != 0 &&
        !rooms.take(spaces_[o.context].kernel, 1))
      fits = false;
  });
  return fits;
}

bool ObjectCaches::thread_drop_fits(u32 slot, RingRooms& rooms) const {
  const ThreadObject& t = threads_[slot];
  for (u32 i = 0; t.signal_mappings != 0 && i < kMappingCapacity; ++i) {
    if (!physmap_.in_use(i)) continue;
    const DependencyRecord& r = physmap_.record(i);
    if (r.context == kSignalContext && r.dependent == slot && !mapping_drop_fits(mapping_of_key(r.key), rooms))
      return false;
  }
  return rooms.take(t.kernel, kThreadRecordSlots);
}

void ObjectCaches::drop_signal_mappings_of(u32 thread) {
  for (u32 i = 0; threads_[thread].signal_mappings != 0 && i < kMappingCapacity; ++i) {
    if (!physmap_.in_use(i)) continue;
    const DependencyRecord r = physmap_.record(i);
    if (r.context != kSignalContext || r.dependent != thread) continue;
    const u32 m = mapping_of_key(r.key);
    const DependencyRecord mr = physmap_.record(m);
    drop_mapping(mr.context, VirtAddr(mr.dependent & ~mapping_record::kFlagMask), m, 0);
  }
}

bool ObjectCaches::has_signals(u32 space) const {
  return spaces_[space].signal_mappings != 0 || spaces_[space].signal_threads != 0;
}

bool ObjectCaches::mapping_drop_room(u32 record) const {
  const DependencyRecord& r = physmap_.record(record);
  if ((r.dependent & mapping_record::kSignal) == 0) return room_of(spaces_[r.context].kernel).take(1);
  RingRooms rooms(*this);
  return mapping_drop_fits(record, rooms);
}

bool ObjectCaches::thread_drop_room(u32 slot) const {
  if (threads_[slot].signal_mappings == 0) return room_of(threads_[slot].kernel).take(kThreadRecordSlots);
  RingRooms rooms(*this);
  return thread_drop_fits(slot, rooms);
}

// ---- Delivery ---------------------------------------------------------------------

void ObjectCaches::enter_signal(ThreadObject& t, u32 va) {
  ck_registers interrupted;
  arch::get_registers(t.own, &interrupted);
  const u32 sp = (interrupted.a[7] - kSignalRedZone) & ~3u;
  arch::init_user_context(t.signal, t.signal_function, VirtAddr(sp));
  arch::set_call_result(t.signal, static_cast<i32>(va), va);
  t.context = &t.signal;
  t.in_signal = true;
}

void ObjectCaches::deliver_pending(ThreadObject& t) {
  if (t.signal_count == 0 || t.signal_function.value() == 0 || t.in_signal || t.in_exception || t.blocked || t.halted)
    return;
  const u32 va = t.signal_queue[t.signal_head];
  t.signal_head = (t.signal_head + 1) % CK_SIGNAL_QUEUE;
  t.signal_count -= 1;
  enter_signal(t, va);
}

bool ObjectCaches::deliver(ThreadObject& t, u32 va) {
  if (t.waiting_signal) {
    // Its CK_WAIT_SIGNAL returns the address.
    t.waiting_signal = false;
    t.blocked = false;
    if (t.wake_at != 0) remove_sleeper(t);
    arch::set_call_result(*t.context, CK_OK, va);
    make_ready(t);
    return true;
  }
  if (t.signal_count == CK_SIGNAL_QUEUE) return false;
  t.signal_queue[(t.signal_head + t.signal_count) % CK_SIGNAL_QUEUE] = va;
  t.signal_count += 1;
  deliver_pending(t);
  return true;
}

ck_status ObjectCaches::signal(ThreadObject& sender, VirtAddr va, u32* delivered) {
  *delivered = 0;
  const u32 space = sender.in_exception ? kernels_[sender.kernel].home : sender.home_space;
  const VirtAddr page(va.value() & kPageMask);
  arch::PageState state;
  if (!arch::lookup_page(spaces_[space].tables.tables, page, &state)) return CK_E_NOT_MAPPED;
  const u32 record = find_mapping_record(space, page, state.page);
  if (record == PhysMap::kNone || (physmap_.record(record).dependent & mapping_record::kMessage) == 0)
    return CK_E_NOT_MESSAGE;
  for (u32 i = 0; device_count_ != 0 && i < kDevicePages; ++i) {
    const DevicePage& d = devices_[i];
    if (d.device == nullptr || d.page != state.page) continue;
    d.device->signalled(va.value() & ~kPageMask);  // to the Cache Kernel's driver
    *delivered = 1;
    return CK_OK;
  }
  u32 delivered_count = 0;
  const bool all = signal_page(state.page, va.value() & ~kPageMask, sender.slot, &delivered_count);
  *delivered = delivered_count;
  return all ? CK_OK : CK_E_SIGNAL_QUEUE_FULL;
}

bool ObjectCaches::signal_page(PhysAddr page, u32 offset, u32 sender, u32* delivered) {
  bool full = false;
  auto send = [&](u32 thread, u32 va_page) {
    if (thread == sender) return;  // a thread does not signal itself
    if (!deliver(threads_[thread], va_page | offset)) {
      full = true;
    } else if (delivered != nullptr) {
      *delivered += 1;
    }
  };
  if (const ReverseTlb::Entry* e = rtlb_.lookup(page.value()); e != nullptr) {
    send(e->thread, e->va_page);
    return !full;
  }
  // Two lookups (§4.1): the page's mappings, then each one's signal record.
  u32 receivers = 0, thread = 0, va_page = 0;
  physmap_.for_each(page.value(), [&](u32 i, const DependencyRecord& r) {
    if (!is_mapping(r) || (r.dependent & mapping_record::kSignal) == 0) return;
    receivers += 1;
    thread = physmap_.record(signal_record_of(i)).dependent;
    va_page = r.dependent & kPageMask;
    send(thread, va_page);
  });
  if (receivers == 1) rtlb_.insert(page.value(), thread, va_page);
  return !full;
}

bool ObjectCaches::attach_device(PhysAddr page, Device* device) {
  DevicePage* free = nullptr;
  for (DevicePage& d : devices_) {
    if (d.device != nullptr && d.page == page) {
      if (device == nullptr) device_count_ -= 1;
      d.device = device;  // replaced, or detached
      return true;
    }
    if (d.device == nullptr && free == nullptr) free = &d;
  }
  if (device == nullptr) return true;
  if (free == nullptr) return false;
  *free = DevicePage{.page = page, .device = device};
  device_count_ += 1;
  return true;
}

ck_status ObjectCaches::signal_return(ThreadObject& t) {
  if (!t.in_signal || t.context != &t.signal) return CK_E_NOT_IN_SIGNAL;
  t.in_signal = false;
  t.context = &t.own;
  deliver_pending(t);
  return CK_OK;
}

ck_status ObjectCaches::wait_signal(ThreadObject& t, u32* value) {
  if (t.signal_count != 0) {
    *value = t.signal_queue[t.signal_head];
    t.signal_head = (t.signal_head + 1) % CK_SIGNAL_QUEUE;
    t.signal_count -= 1;
    return CK_OK;
  }
  if (run_queue_.contains(t)) run_queue_.remove(t);
  t.blocked = true;
  t.waiting_signal = true;
  // What the wait returns should the thread be unloaded while it waits.
  arch::set_call_result(*t.context, CK_OK, 0);
  return CK_OK;
}

}  // namespace ck
