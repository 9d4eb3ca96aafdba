// Thread objects (paper §2.3): every register, the exception stack, the priority and
// the address space. A loaded thread is ready to run; unloading writes its state back.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kThreadFlags = CK_LOCK | 0xffu << CK_PRIORITY_SHIFT;
constexpr u32 kThreadRecordSlots = CK_WB_THREAD_SLOTS;
}  // namespace

void ObjectCaches::retire_thread(ThreadObject& t) {
  if (run_queue_.contains(t)) run_queue_.remove(t);
  if (t.wake_at != 0) remove_sleeper(t);
  // The FPU must not go on naming a context whose slot will be reused.
  arch::save_user_context(t.own);
  arch::save_user_context(t.handler);
  if (current_ == &t) current_ = nullptr;
}

void ObjectCaches::drop_thread(u32 slot, u16 flags, u32 exception, VirtAddr address) {
  ThreadObject& t = threads_[slot];
  // The mappings that name it as their signal thread depend on it (§4.2, Figure 6).
  drop_signal_mappings_of(slot);
  retire_thread(t);
  write_back_thread(t, flags, exception, address);
  if (threads_.locked(slot)) release_lock(t.kernel, CK_OBJECT_THREAD);
  spaces_[t.home_space].threads -= 1;
  kernels_[t.kernel].threads -= 1;
  threads_.release(slot);
}

u32 ObjectCaches::reclaim_thread(ck_status* status) {
  const u32 victim = pick_victim(
      threads_,
      [&](u32 slot) {
        return &threads_[slot] != current_ && !thread_pinned(slot) && threads_[slot].signal_mappings == 0;
      },
      [&](u32 slot) { return ring_of(threads_[slot].kernel).room().take(kThreadRecordSlots); }, status);
  if (victim == kNoSlot) return kNoSlot;
  drop_thread(victim, CK_WB_RECLAIMED);
  return threads_.allocate();
}

ck_status ObjectCaches::load_thread(u32 caller, ObjectId space_id, u32 cookie, u32 flags, const ck_thread_state& state,
                                    ObjectId* id) {
  if ((flags & ~kThreadFlags) != 0) return CK_E_ARGUMENT;
  const u32 priority = flags >> CK_PRIORITY_SHIFT;
  if (priority > kMaxPriority) return CK_E_ARGUMENT;
  u32 space;
  if (const ck_status s = find_space(space_id, &space); s != CK_OK) return s;
  const u32 kernel = spaces_[space].kernel;
  if (const ck_status s = check_owner(caller, kernel); s != CK_OK) return s;
  if (priority > kernels_[kernel].max_priority) return CK_E_PRIORITY;
  const bool lock = (flags & CK_LOCK) != 0;
  if (lock) {
    if (const ck_status s = charge_lock(kernel, CK_OBJECT_THREAD); s != CK_OK) return s;
  }
  u32 slot = threads_.allocate();
  ck_status s = CK_OK;
  if (slot == Threads::kNone) slot = reclaim_thread(&s);
  if (slot == kNoSlot) {
    if (lock) release_lock(kernel, CK_OBJECT_THREAD);
    return s;
  }
  ThreadObject& t = threads_[slot];
  arch::init_user_context(t.own, VirtAddr(state.regs.pc), VirtAddr(state.regs.a[7]));
  arch::set_registers(t.own, state.regs);
  arch::set_fpu_registers(t.own, state.fpu);
  t.context = &t.own;
  t.interrupted = &t.own;
  t.space = &spaces_[space].tables;
  t.id = threads_.id_of(slot).raw();
  t.next = t.prev = nullptr;
  t.slot = slot;
  t.home_space = space;
  t.kernel = kernel;
  t.cookie = cookie;
  t.priority = priority;
  t.exception_stack = VirtAddr(state.exception_stack);
  t.exception_frame = VirtAddr(0);
  t.in_exception = false;
  t.halted = false;
  t.blocked = t.blocked_itself = t.wake_pending = false;
  t.wake_at = 0;
  t.sleep_next = nullptr;
  t.run_ns = t.charged_ns = 0;
  t.dispatches = 0;
  t.signal_function = VirtAddr(state.signal_function);
  t.in_signal = t.waiting_signal = false;
  t.signal_head = t.signal_count = 0;
  t.signal_mappings = 0;
  threads_.set_locked(slot, lock);
  spaces_[space].threads += 1;
  kernels_[kernel].threads += 1;
  make_ready(t);
  *id = threads_.id_of(slot);
  return CK_OK;
}

ck_status ObjectCaches::unload_thread(u32 caller, ObjectId id) {
  u32 slot;
  if (const ck_status s = find_thread(id, &slot); s != CK_OK) return s;
  if (const ck_status s = check_owner(caller, threads_[slot].kernel); s != CK_OK) return s;
  if (!thread_drop_room(slot)) return CK_E_RETRY;
  drop_thread(slot, 0);
  return CK_OK;
}

ck_status ObjectCaches::set_priority(u32 caller, ObjectId id, u32 priority) {
  if (priority > kMaxPriority) return CK_E_ARGUMENT;
  u32 slot;
  if (const ck_status s = find_thread(id, &slot); s != CK_OK) return s;
  ThreadObject& t = threads_[slot];
  if (const ck_status s = check_owner(caller, t.kernel); s != CK_OK) return s;
  if (priority > kernels_[t.kernel].max_priority) return CK_E_PRIORITY;
  t.priority = priority;
  requeue(t);
  return CK_OK;
}

}  // namespace ck
