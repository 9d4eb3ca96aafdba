// Thread objects (paper §2.3): every register, the exception stack, the priority and
// the address space. A loaded thread is ready to run; unloading writes its state back.
// Blocking, waking and the clock's ticks (scheduler.h). Each call: check (every
// argument, a slot or a victim whose writeback fits), then commit.
#include "object_caches.h"

namespace ck {

namespace {
constexpr u32 kThreadFlags = CK_LOCK | 0xffu << CK_PRIORITY_SHIFT;

// The thread a call names, `id` (0: the calling thread, `self`), when `caller` owns it.
// Tables and T const for the queries, not for the calls that change the thread.
template <typename Tables, typename T>
ck_status owned_thread_or_self(Tables& tables, u32 caller, ObjectId id, T& self, T** out) {
  T* t = &self;
  if (id.raw() != 0) {
    u32 slot;
    if (const ck_status s = tables.find_thread(id, &slot); s != CK_OK) return s;
    t = &tables.thread(slot);
  }
  if (const ck_status s = tables.check_owner(caller, t->kernel()); s != CK_OK) return s;
  *out = t;
  return CK_OK;
}
}  // namespace

// load_thread's checks of its arguments, in its order with its answers: the space's
// slot in `space`.
inline ck_status ObjectCaches::check_thread_load(u32 caller, ObjectId space_id, u32 flags, const ck_thread_state& state,
                                                 u32* space) const {
  if ((flags & ~kThreadFlags) != 0) return CK_E_ARGUMENT;
  const u32 priority = flags >> CK_PRIORITY_SHIFT;
  if (priority > kMaxPriority) return CK_E_ARGUMENT;
  // Writes it carries are done later with its own rights; only their form is checked.
  if (!arch::valid_pending_writes(state.pending)) return CK_E_ARGUMENT;
  if (const ck_status s = tables_.find_space(space_id, space); s != CK_OK) return s;
  const u32 kernel = tables_.space(*space).kernel;
  if (const ck_status s = tables_.check_owner(caller, kernel); s != CK_OK) return s;
  if (priority > scheduler_.max_priority(kernel)) return CK_E_PRIORITY;
  if ((flags & CK_LOCK) != 0) {
    if (const ck_status s = resources_.can_lock(kernel, CK_OBJECT_THREAD); s != CK_OK) return s;
  }
  if (writeback_.must_drain(caller)) return CK_E_RETRY;
  return CK_OK;
}

// The thread itself, in a free slot of checked `space`: ready to run.
inline void ObjectCaches::add_checked_thread(u32 space, u32 cookie, u32 flags, const ck_thread_state& state,
                                             ObjectId* id) {
  const bool lock = (flags & CK_LOCK) != 0;
  const u32 slot = tables_.add_thread(space, cookie, state, lock);
  if (lock) resources_.lock(tables_.space(space).kernel, CK_OBJECT_THREAD);
  messaging_.admit(slot, VirtAddr(state.signal_function));
  scheduler_.admit(tables_.thread(slot), flags >> CK_PRIORITY_SHIFT);
  *id = tables_.threads().id_of(slot);
}

ck_status ObjectCaches::load_thread(u32 caller, ObjectId space_id, u32 cookie, u32 flags, const ck_thread_state& state,
                                    ObjectId* id) {
  u32 space;
  if (const ck_status s = check_thread_load(caller, space_id, flags, state, &space); s != CK_OK) return s;
  WritebackPlan plan(writeback_);
  u32 victim = kNoSlot;
  if (!tables_.has_free_thread()) {
    ck_status s = CK_OK;
    if ((victim = replacement_.choose_thread(tables_.space(space).kernel, plan, &s)) == kNoSlot) return s;
  }

  if (victim != kNoSlot) replacement_.drop_thread(victim, CK_WB_RECLAIMED);
  add_checked_thread(space, cookie, flags, state, id);
  return CK_OK;
}

// load_thread with a slot free: the same checks and answers, no victim to choose, drop or
// write back.
ck_status ObjectCaches::load_free_thread(u32 caller, ObjectId space_id, u32 cookie, u32 flags,
                                         const ck_thread_state& state, ObjectId* id) {
  CK_ASSERT(tables_.has_free_thread());
  u32 space;
  if (const ck_status s = check_thread_load(caller, space_id, flags, state, &space); s != CK_OK) return s;
  add_checked_thread(space, cookie, flags, state, id);
  return CK_OK;
}

ck_status ObjectCaches::unload_thread(u32 caller, ObjectId id) {
  u32 slot;
  if (const ck_status s = tables_.find_thread(id, &slot); s != CK_OK) return s;
  if (const ck_status s = tables_.check_owner(caller, tables_.thread(slot).kernel()); s != CK_OK) return s;
  if (writeback_.must_drain(caller) || !replacement_.thread_fits(slot)) return CK_E_RETRY;

  replacement_.drop_thread(slot, 0);
  return CK_OK;
}

ck_status ObjectCaches::set_priority(u32 caller, ObjectId id, u32 priority) {
  if (priority > kMaxPriority) return CK_E_ARGUMENT;
  u32 slot;
  if (const ck_status s = tables_.find_thread(id, &slot); s != CK_OK) return s;
  ThreadObject& t = tables_.thread(slot);
  if (const ck_status s = tables_.check_owner(caller, t.kernel()); s != CK_OK) return s;
  if (priority > scheduler_.max_priority(t.kernel())) return CK_E_PRIORITY;

  scheduler_.set_priority(t, priority);
  return CK_OK;
}

ck_status ObjectCaches::set_thread_value(u32 caller, ObjectId id, u32 call, u32 value, ThreadObject& self) {
  ThreadObject* t;
  if (const ck_status s = owned_thread_or_self(tables_, caller, id, self, &t); s != CK_OK) return s;

  arch::set_thread_value(t->own, call, value);
  return CK_OK;
}

ck_status ObjectCaches::block_thread(u32 caller, ObjectId id, u32 timeout_ns, ThreadObject& self, u32* value) {
  ThreadObject* t;
  if (const ck_status s = owned_thread_or_self(tables_, caller, id, self, &t); s != CK_OK) return s;
  if (t->state().halted()) return CK_E_BUSY;

  if (t == &self && scheduler_.take_wake_pending(self)) {
    // The wake-up came first: the caller goes on, told when (CK_QUERY_TIME's low word).
    *value = arch::clock_low_ns();
    return CK_OK;
  }
  // The whole clock only for a deadline.
  scheduler_.block(*t, t == &self, timeout_ns, timeout_ns != 0 ? arch::clock_ns() : 0);
  return CK_OK;
}

ck_status ObjectCaches::wake_thread(u32 caller, ObjectId id) {
  u32 slot;
  if (const ck_status s = tables_.find_thread(id, &slot); s != CK_OK) return s;
  ThreadObject& t = tables_.thread(slot);
  if (const ck_status s = tables_.check_owner(caller, t.kernel()); s != CK_OK) return s;
  if (t.state().halted()) return CK_E_BUSY;

  if (scheduler_.wake(t, arch::clock_low_ns())) messaging_.deliver_pending(t);
  return CK_OK;
}

ck_status ObjectCaches::thread_stats(u32 caller, ObjectId id, const ThreadObject& self, ck_thread_stats* out) const {
  const ThreadObject* t;
  if (const ck_status s = owned_thread_or_self(tables_, caller, id, self, &t); s != CK_OK) return s;

  *out = scheduler_.thread_stats(*t);
  return CK_OK;
}

void ObjectCaches::tick(u64 ticks, u64 now) {
  while (ThreadObject* t = scheduler_.due(now)) {
    scheduler_.unblock(*t, static_cast<u32>(now));
    messaging_.deliver_pending(*t);
  }
  scheduler_.advance(ticks, now);
}

}  // namespace ck
