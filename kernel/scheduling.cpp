// Scheduling by the object caches (paper §2.3, §4.3): loaded threads are ready at a
// run-queue level given by their priority, one level band lower while their kernel is
// over its CPU share; a thread can be blocked (with a timeout) and woken; the time
// threads run is charged to their kernels with the priority premium (cpu_share.h).
#include "clock.h"
#include "object_caches.h"

namespace ck {

namespace {
// Level of a thread whose kernel is within its share: above every throttled thread.
constexpr u8 kWithinShareBase = CK_PRIORITY_COUNT;
static_assert(2 * CK_PRIORITY_COUNT == kRunLevels, "two bands of priorities fill the run queue");

u32 bucket_ticks() {
  const u32 n = clock::window_ticks() / kShareBuckets;
  return n == 0 ? 1 : n;
}
}  // namespace

u8 ObjectCaches::run_level(const ThreadObject& t) const {
  const u8 priority = static_cast<u8>(t.priority);
  return kernels_[t.kernel].throttled ? priority : static_cast<u8>(kWithinShareBase + priority);
}

void ObjectCaches::make_ready(ThreadObject& t) {
  t.level = run_level(t);
  run_queue_.push_back(t);
}

void ObjectCaches::requeue(ThreadObject& t) { run_queue_.set_level(t, run_level(t)); }

void ObjectCaches::requeue_kernel(u32 kernel) {
  for (u32 slot = 0; slot < kThreadCapacity; ++slot)
    if (threads_.loaded(slot) && threads_[slot].kernel == kernel) requeue(threads_[slot]);
}

void ObjectCaches::insert_sleeper(ThreadObject& t) {
  ThreadObject** at = &sleepers_;
  while (*at != nullptr && (*at)->wake_at <= t.wake_at) at = &(*at)->sleep_next;
  t.sleep_next = *at;
  *at = &t;
}

void ObjectCaches::remove_sleeper(ThreadObject& t) {
  for (ThreadObject** at = &sleepers_; *at != nullptr; at = &(*at)->sleep_next) {
    if (*at != &t) continue;
    *at = t.sleep_next;
    break;
  }
  t.sleep_next = nullptr;
  t.wake_at = 0;
}

void ObjectCaches::unblock(ThreadObject& t, u64 now) {
  if (t.wake_at != 0) remove_sleeper(t);
  t.blocked = false;
  if (t.waiting_signal) {
    // A wake-up, not a signal, ends its CK_WAIT_SIGNAL.
    arch::set_call_result(*t.context, CK_OK, 0);
    t.waiting_signal = false;
  } else if (t.blocked_itself) {
    // Its CK_BLOCK returns now, saying when.
    arch::set_call_result(*t.context, CK_OK, static_cast<u32>(now));
  }
  t.blocked_itself = false;
  make_ready(t);
  deliver_pending(t);
}

ck_status ObjectCaches::block_thread(u32 caller, ObjectId id, u32 timeout_ns, ThreadObject& self, u32* value) {
  ThreadObject* t = &self;
  if (id.raw() != 0) {
    u32 slot;
    if (const ck_status s = find_thread(id, &slot); s != CK_OK) return s;
    t = &threads_[slot];
  }
  if (const ck_status s = check_owner(caller, t->kernel); s != CK_OK) return s;
  if (t->halted) return CK_E_BUSY;
  const u64 now = arch::clock_ns();
  if (t == &self && t->wake_pending) {
    // The wake-up came first: the caller goes on, told when.
    t->wake_pending = false;
    *value = static_cast<u32>(now);
    return CK_OK;
  }
  if (t->wake_at != 0) remove_sleeper(*t);
  if (!t->blocked) {
    if (run_queue_.contains(*t)) run_queue_.remove(*t);
    t->blocked = true;
    t->blocked_itself = t == &self;
    // What its CK_BLOCK returns should it be unloaded while blocked.
    if (t->blocked_itself) arch::set_call_result(*t->context, CK_OK, 0);
  }
  if (timeout_ns != 0) {
    t->wake_at = now + timeout_ns;
    insert_sleeper(*t);
  }
  return CK_OK;
}

ck_status ObjectCaches::wake_thread(u32 caller, ObjectId id) {
  u32 slot;
  if (const ck_status s = find_thread(id, &slot); s != CK_OK) return s;
  ThreadObject& t = threads_[slot];
  if (const ck_status s = check_owner(caller, t.kernel); s != CK_OK) return s;
  if (t.halted) return CK_E_BUSY;
  if (t.blocked) {
    unblock(t, arch::clock_ns());
  } else {
    t.wake_pending = true;
  }
  return CK_OK;
}

void ObjectCaches::charge(ThreadObject& t, u64 ns, bool dispatch_ended) {
  const u32 charged = charged_ns(static_cast<u32>(ns < 0xffffffffu ? ns : 0xffffffffu), t.priority);
  KernelObject& k = kernels_[t.kernel];
  t.run_ns += ns;
  t.charged_ns += charged;
  t.dispatches += dispatch_ended ? 1 : 0;
  k.run_ns += ns;
  k.charged_ns += charged;
  k.window.add(share_clock_, charged);
}

bool ObjectCaches::over_share(const KernelObject& k, u64 now) const {
  // A kernel granted the whole processor is never held back, whatever its premium.
  return k.cpu_percent < 100 && k.window.permille(share_clock_, now) > k.cpu_percent * 10;
}

void ObjectCaches::update_throttle(u32 kernel, u64 now) {
  KernelObject& k = kernels_[kernel];
  const bool over = over_share(k, now);
  if (over == k.throttled) return;
  k.throttled = over;
  requeue_kernel(kernel);
}

void ObjectCaches::tick(u64 ticks, u64 now) {
  while (sleepers_ != nullptr && sleepers_->wake_at <= now) unblock(*sleepers_, now);
  const bool new_bucket = ticks >= next_bucket_tick_;
  if (new_bucket) {
    share_clock_.advance(now);
    next_bucket_tick_ = ticks + bucket_ticks();
  }
  for (u32 k = 0; k < kKernelCapacity; ++k) {
    if (!kernels_.loaded(k)) continue;
    if (new_bucket) kernels_[k].window.advanced(share_clock_);
    if (kernels_[k].threads != 0) update_throttle(k, now);
  }
}

ck_status ObjectCaches::thread_stats(u32 caller, ObjectId id, const ThreadObject& self, ck_thread_stats* out) const {
  const ThreadObject* t = &self;
  if (id.raw() != 0) {
    u32 slot;
    if (const ck_status s = find_thread(id, &slot); s != CK_OK) return s;
    t = &threads_[slot];
  }
  if (const ck_status s = check_owner(caller, t->kernel); s != CK_OK) return s;
  u32 state = CK_THREAD_READY;
  if (t->halted) {
    state = CK_THREAD_HALTED;
  } else if (t->blocked) {
    state = CK_THREAD_BLOCKED;
  } else if (t == current_) {
    state = CK_THREAD_RUNNING;
  }
  *out = ck_thread_stats{.run_ns = t->run_ns,
                         .charged_ns = t->charged_ns,
                         .dispatches = t->dispatches,
                         .priority = t->priority,
                         .state = state,
                         .reserved = 0};
  return CK_OK;
}

ck_status ObjectCaches::kernel_stats(u32 caller, ObjectId id, u32 self_kernel, ck_kernel_stats* out) const {
  u32 slot = self_kernel;
  if (id.raw() != 0) {
    if (const ck_status s = find_kernel(id, &slot); s != CK_OK) return s;
  }
  if (const ck_status s = check_owner(caller, slot); s != CK_OK) return s;
  const KernelObject& k = kernels_[slot];
  const u64 now = arch::clock_ns();
  const u64 start = share_clock_.window_start();
  *out = ck_kernel_stats{.run_ns = k.run_ns,
                         .charged_ns = k.charged_ns,
                         .share_permille = k.window.permille(share_clock_, now),
                         .window_ns = static_cast<u32>(now > start ? now - start : 0),
                         .cpu_percent = k.cpu_percent,
                         .max_priority = k.max_priority,
                         .throttled = k.throttled ? 1u : 0u,
                         .threads = k.threads};
  return CK_OK;
}

}  // namespace ck
