// Scheduling (scheduler.h).
#include "scheduler.h"

#include "clock.h"

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

void Scheduler::reset(u64 now, u64 ticks) {
  run_queue_ = RunQueue();
  sleepers_ = kNoSlot;
  share_clock_.start(now);
  next_bucket_tick_ = ticks;
  current_ = nullptr;
  for (u32& w : unsettled_) w = 0;
}

void Scheduler::admit_kernel(u32 kernel, u32 percent, u32 max_priority) {
  // Field by field: the whole struct's assignment is a memset call of its 90 bytes.
  KernelShare& k = kernels_[kernel];
  k.cpu_percent = percent;
  k.max_priority = max_priority;
  k.run_ns = k.charged_ns = 0;
  k.window.clear();
  k.throttled = false;
}

void Scheduler::set_share(u32 kernel, u32 percent, u32 max_priority) {
  // Its threads' time charged at the priorities they ran at, the share on every charge.
  settle();
  KernelShare& k = kernels_[kernel];
  k.cpu_percent = percent;
  k.max_priority = max_priority;
  // A lower ceiling applies to the threads already loaded.
  for (u32 t = 0; tables_.kernel(kernel).threads != 0 && t < kThreadCapacity; ++t)
    if (tables_.threads().loaded(t) && tables_.thread(t).kernel() == kernel && threads_[t].priority > max_priority)
      threads_[t].priority = max_priority;
  // The new share and ceiling apply to its threads at once.
  k.throttled = over_share(k, arch::clock_ns());
  requeue_kernel(kernel);
}

u8 Scheduler::run_level(const ThreadObject& t) const {
  const u8 priority = static_cast<u8>(threads_[t.slot()].priority);
  return kernels_[t.kernel()].throttled ? priority : static_cast<u8>(kWithinShareBase + priority);
}

void Scheduler::make_ready(ThreadObject& t) {
  t.level = run_level(t);
  run_queue_.push_back(t);
}

void Scheduler::requeue(ThreadObject& t) { run_queue_.set_level(t, run_level(t)); }

void Scheduler::requeue_kernel(u32 kernel) {
  for (u32 slot = 0; tables_.kernel(kernel).threads != 0 && slot < kThreadCapacity; ++slot)
    if (tables_.threads().loaded(slot) && tables_.thread(slot).kernel() == kernel) requeue(tables_.thread(slot));
}

void Scheduler::admit(ThreadObject& t, u32 priority) {
  ThreadSchedule& s = threads_[t.slot()];
  s.priority = priority;
  s.wake_pending = false;
  s.wake_at = 0;
  s.sleep_next = kNoSlot;
  s.run_ns = s.charged_ns = 0;
  s.dispatches = 0;
  s.unsettled_ns = s.unsettled_dispatches = 0;
  make_ready(t);
}

void Scheduler::retire(ThreadObject& t) {
  settle(t.slot());  // its kernel keeps the time it used
  if (run_queue_.contains(t)) run_queue_.remove(t);
  if (threads_[t.slot()].wake_at != 0) remove_sleeper(t.slot());
  if (current_ == &t) current_ = nullptr;
}

void Scheduler::set_priority(ThreadObject& t, u32 priority) {
  settle(t.slot());  // what it ran so far is charged at the priority it ran at
  threads_[t.slot()].priority = priority;
  requeue(t);
}

void Scheduler::insert_sleeper(u32 thread) {
  u32* at = &sleepers_;
  while (*at != kNoSlot && threads_[*at].wake_at <= threads_[thread].wake_at) at = &threads_[*at].sleep_next;
  threads_[thread].sleep_next = *at;
  *at = thread;
}

void Scheduler::remove_sleeper(u32 thread) {
  u32* at = &sleepers_;
  while (*at != thread && *at != kNoSlot) at = &threads_[*at].sleep_next;
  CK_ASSERT(*at == thread);  // a thread with a timeout is on the list
  if (*at == thread) *at = threads_[thread].sleep_next;
  threads_[thread].sleep_next = kNoSlot;
  threads_[thread].wake_at = 0;
}

void Scheduler::block(ThreadObject& t, bool self, u32 timeout_ns, u64 now) {
  ThreadSchedule& s = threads_[t.slot()];
  if (s.wake_at != 0) remove_sleeper(t.slot());
  if (!t.state().blocked()) {
    if (run_queue_.contains(t)) run_queue_.remove(t);
    t.block(self);
    // What its CK_BLOCK returns should it be unloaded while blocked.
    if (self) arch::set_call_result(*t.context, CK_OK, 0);
  }
  if (timeout_ns != 0) {
    s.wake_at = now + timeout_ns;
    insert_sleeper(t.slot());
  }
}

bool Scheduler::take_wake_pending(ThreadObject& t) {
  ThreadSchedule& s = threads_[t.slot()];
  if (!s.wake_pending) return false;
  s.wake_pending = false;
  return true;
}

void Scheduler::unblock(ThreadObject& t, u32 now_low) {
  if (threads_[t.slot()].wake_at != 0) remove_sleeper(t.slot());
  const Activity was = t.state().activity();
  t.unblock();
  if (was == Activity::WaitingSignal) {
    // A wake-up, not a signal, ends its CK_WAIT_SIGNAL.
    arch::set_call_result(*t.context, CK_OK, 0);
  } else if (was == Activity::BlockedSelf) {
    // Its CK_BLOCK returns now, saying when.
    arch::set_call_result(*t.context, CK_OK, now_low);
  }
  make_ready(t);
}

bool Scheduler::wake(ThreadObject& t, u32 now_low) {
  if (t.state().blocked()) {
    unblock(t, now_low);
    return true;
  }
  threads_[t.slot()].wake_pending = true;
  return false;
}

void Scheduler::wait_signal(ThreadObject& t) {
  if (run_queue_.contains(t)) run_queue_.remove(t);
  t.wait_signal();
  // What the wait returns should the thread be unloaded while it waits.
  arch::set_call_result(*t.context, CK_OK, 0);
}

void Scheduler::signal_arrived(ThreadObject& t, u32 va) {
  unblock(t, 0);
  arch::set_call_result(*t.context, CK_OK, va);  // the signal's address, not unblock()'s 0
}

void Scheduler::halt(ThreadObject& t) {
  if (run_queue_.contains(t)) run_queue_.remove(t);
  t.halt();
}

ThreadObject* Scheduler::due(u64 now) const {
  if (sleepers_ == kNoSlot || threads_[sleepers_].wake_at > now) return nullptr;
  return &tables_.thread(sleepers_);
}

void Scheduler::charge(const ThreadObject& t, u32 ns, bool dispatch_ended) {
  charge_totals(t.slot(), t.kernel(), ns, dispatch_ended ? 1 : 0);
}

void Scheduler::charge_totals(u32 slot, u32 kernel, u32 ns, u32 dispatches) {
  ThreadSchedule& s = threads_[slot];
  const u32 charged = charged_ns(ns, s.priority);
  KernelShare& k = kernels_[kernel];
  s.run_ns += ns;
  s.charged_ns += charged;
  s.dispatches += dispatches;
  k.run_ns += ns;
  k.charged_ns += charged;
  k.window.add(share_clock_, charged);
}

void Scheduler::settle(u32 slot) {
  unsettled_[slot >> 5] &= ~(1u << (slot & 31));
  ThreadSchedule& s = threads_[slot];
  if (s.unsettled_ns == 0 && s.unsettled_dispatches == 0) return;
  const u32 ns = s.unsettled_ns;
  const u32 dispatches = s.unsettled_dispatches;
  s.unsettled_ns = s.unsettled_dispatches = 0;
  charge_totals(slot, tables_.thread(slot).kernel(), ns, dispatches);
}

void Scheduler::settle() {
  for (u32 w = 0; w < kUnsettledWords; ++w)
    for (u32 bits = unsettled_[w]; bits != 0; bits &= bits - 1) settle(w * 32 + static_cast<u32>(__builtin_ctz(bits)));
}

Scheduler::Unsettled Scheduler::unsettled(u32 kernel) const {
  Unsettled u;
  for (u32 w = 0; w < kUnsettledWords; ++w)
    for (u32 bits = unsettled_[w]; bits != 0; bits &= bits - 1) {
      const u32 slot = w * 32 + static_cast<u32>(__builtin_ctz(bits));
      if (tables_.thread(slot).kernel() != kernel) continue;
      const ThreadSchedule& s = threads_[slot];
      u.run_ns += s.unsettled_ns;
      u.charged_ns += charged_ns(s.unsettled_ns, s.priority);
    }
  return u;
}

bool Scheduler::over_share(const KernelShare& k, u64 now) const {
  // A kernel granted the whole processor is never held back, whatever its premium.
  return k.cpu_percent < 100 && k.window.permille(share_clock_, now) > k.cpu_percent * 10;
}

void Scheduler::update_throttle(u32 kernel, u64 now) {
  KernelShare& k = kernels_[kernel];
  const bool over = over_share(k, now);
  if (over == k.throttled) return;
  k.throttled = over;
  requeue_kernel(kernel);
}

void Scheduler::advance(u64 ticks, u64 now) {
  // The switches' time since the last tick goes into the bucket it was used in.
  settle();
  const bool new_bucket = ticks >= next_bucket_tick_;
  if (new_bucket) {
    share_clock_.advance(now);
    next_bucket_tick_ = ticks + bucket_ticks();
  }
  for (u32 k = 0; k < kKernelCapacity; ++k) {
    if (!tables_.kernels().loaded(k)) continue;
    if (new_bucket) kernels_[k].window.advanced(share_clock_);
    if (tables_.kernel(k).threads != 0) update_throttle(k, now);
  }
}

ck_thread_stats Scheduler::thread_stats(const ThreadObject& t) const {
  u32 state = CK_THREAD_READY;
  if (t.state().halted()) {
    state = CK_THREAD_HALTED;
  } else if (t.state().blocked()) {
    state = CK_THREAD_BLOCKED;
  } else if (&t == current_) {
    state = CK_THREAD_RUNNING;
  }
  // As if its switches' time were settled.
  const ThreadSchedule& s = threads_[t.slot()];
  return ck_thread_stats{.run_ns = s.run_ns + s.unsettled_ns,
                         .charged_ns = s.charged_ns + charged_ns(s.unsettled_ns, s.priority),
                         .dispatches = s.dispatches + s.unsettled_dispatches,
                         .priority = s.priority,
                         .state = state,
                         .reserved = 0};
}

ck_kernel_stats Scheduler::kernel_stats(u32 kernel) const {
  const KernelShare& k = kernels_[kernel];
  const u64 now = arch::clock_ns();
  const u64 start = share_clock_.window_start();
  // As if its threads' switches' time were settled (into the current bucket).
  const Unsettled u = unsettled(kernel);
  return ck_kernel_stats{.run_ns = k.run_ns + u.run_ns,
                         .charged_ns = k.charged_ns + u.charged_ns,
                         .share_permille = k.window.permille(share_clock_, now, u.charged_ns),
                         .window_ns = static_cast<u32>(now > start ? now - start : 0),
                         .cpu_percent = k.cpu_percent,
                         .max_priority = k.max_priority,
                         .throttled = k.throttled ? 1u : 0u,
                         .threads = tables_.kernel(kernel).threads};
}

}  // namespace ck
