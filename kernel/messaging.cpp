// Memory-based messaging (messaging.h).
#include "messaging.h"

namespace ck {

namespace {
constexpr u32 kPageMask = ~(arch::kPageBytes - 1);
// The signal function's stack starts this far below the interrupted stack pointer.
constexpr u32 kSignalRedZone = 128;
}  // namespace

u32 Messaging::take(u32 thread) {
  ThreadSignals& q = threads_[thread];
  CK_ASSERT(q.count != 0);
  const u32 va = q.queue[q.head];
  q.head = (q.head + 1) % CK_SIGNAL_QUEUE;
  q.count -= 1;
  return va;
}

void Messaging::deliver_pending(ThreadObject& t) {
  const ThreadSignals& q = threads_[t.slot()];
  if (q.count == 0 || q.function.value() == 0 || !t.state().ready() || t.state().running() != Running::Own) return;
  const u32 va = take(t.slot());
  ck_registers interrupted;
  arch::get_registers(t.own, &interrupted);
  t.enter_signal(q.function, VirtAddr((interrupted.a[7] - kSignalRedZone) & ~3u), va);
}

bool Messaging::deliver(ThreadObject& t, u32 va) {
  if (t.state().activity() == Activity::WaitingSignal) {
    scheduler_.signal_arrived(t, va);  // its CK_WAIT_SIGNAL returns the address
    return true;
  }
  ThreadSignals& q = threads_[t.slot()];
  if (q.count == CK_SIGNAL_QUEUE) return false;
  q.queue[(q.head + q.count) % CK_SIGNAL_QUEUE] = va;
  q.count += 1;
  deliver_pending(t);
  return true;
}

ck_status Messaging::signal(ThreadObject& sender, VirtAddr va, u32* delivered) {
  *delivered = 0;
  const u32 space = sender.state().in_exception() ? tables_.kernel(sender.kernel()).home : sender.home_space();
  const u32 record = map_.find(space, VirtAddr(va.value() & kPageMask));
  if (record == MemoryMap::kNone) return CK_E_NOT_MAPPED;
  const Mapping m = map_.mapping(record);
  if (!m.has(mapping_flag::kMessage)) return CK_E_NOT_MESSAGE;
  const u32 offset = va.value() & ~kPageMask;
  if (Device* d = devices_.driver(m.pa); d != nullptr) {
    d->signalled(offset);  // to the Cache Kernel's driver
    *delivered = 1;
    return CK_OK;
  }
  // All of the receivers take it, or none does: a receiver whose queue is full refuses.
  if (const ReverseTlb::Entry* e = map_.cached_receiver(m.pa); e != nullptr) {
    if (e->thread == sender.slot()) return CK_OK;  // a thread does not signal itself
    if (!can_take(e->thread)) return CK_E_SIGNAL_QUEUE_FULL;
    deliver(tables_.thread(e->thread), e->va_page | offset);
    *delivered = 1;
    return CK_OK;
  }
  bool full = false;
  map_.for_each_receiver(m.pa, [&](u32 thread, u32) { full = full || (thread != sender.slot() && !can_take(thread)); });
  if (full) return CK_E_SIGNAL_QUEUE_FULL;
  *delivered = deliver_to_mappings(m.pa, offset, sender.slot());
  return CK_OK;
}

void Messaging::signal_mappings_of(PhysAddr page, u32 offset) {
  // No one to refuse to: receivers with full queues miss it.
  if (const ReverseTlb::Entry* e = map_.cached_receiver(page); e != nullptr) {
    deliver(tables_.thread(e->thread), e->va_page | offset);
    return;
  }
  deliver_to_mappings(page, offset, kNoSlot);
}

u32 Messaging::deliver_to_mappings(PhysAddr page, u32 offset, u32 sender) {
  u32 receivers = 0, delivered = 0, last_thread = 0, last_va = 0;
  map_.for_each_receiver(page, [&](u32 thread, u32 va_page) {
    receivers += 1;
    last_thread = thread;
    last_va = va_page;
    if (thread != sender && deliver(tables_.thread(thread), va_page | offset)) delivered += 1;
  });
  if (receivers == 1) map_.remember_receiver(page, last_thread, last_va);
  return delivered;
}

ck_status Messaging::signal_return(ThreadObject& t) {
  if (t.state().running() != Running::Signal) return CK_E_NOT_IN_SIGNAL;
  t.leave_signal();
  deliver_pending(t);
  return CK_OK;
}

ck_status Messaging::wait_signal(ThreadObject& t, u32* value) {
  if (threads_[t.slot()].count != 0) {
    *value = take(t.slot());
    return CK_OK;
  }
  scheduler_.wait_signal(t);
  return CK_OK;
}

}  // namespace ck
