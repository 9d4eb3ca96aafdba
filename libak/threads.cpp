// The thread library and scheduling thread (threads.h).
#include "threads.h"

#include "libak.h"

namespace ak {

void thread_exit() {
  unload_thread(query(CK_QUERY_SELF_THREAD).value);
  for (;;) {
  }
}

ck_thread_state thread_state(void (*entry)(uint32_t), uint32_t argument, ThreadStacks& stacks,
                             uint32_t signal_function) {
  uint32_t* sp = stacks.stack + sizeof stacks.stack / sizeof stacks.stack[0] - 2;
  sp[0] = reinterpret_cast<uint32_t>(&thread_exit);
  sp[1] = argument;
  ck_thread_state s{};
  s.regs.pc = reinterpret_cast<uint32_t>(entry);
  s.regs.a[7] = reinterpret_cast<uint32_t>(sp);
  s.exception_stack = reinterpret_cast<uint32_t>(stacks.exception_stack + sizeof stacks.exception_stack);
  s.signal_function = signal_function;
  return s;
}

uint32_t ThreadLibrary::spawn(Entry entry, uint32_t argument, ThreadStacks& stacks, uint32_t priority) {
  if (count_ == kMaxThreads) return kMaxThreads;
  Record& r = threads_[count_];
  r.state = thread_state(entry, argument, stacks);
  r.priority = priority;
  const CallResult t = load_thread(space_, count_, priority << CK_PRIORITY_SHIFT, r.state);
  if (!t.ok()) return kMaxThreads;
  r.id = t.value;
  r.loaded = true;
  return count_++;
}

bool ThreadLibrary::take_writeback(ck_id id, Record& r) {
  WritebackReader reader(ring_);
  ck_writeback w;
  ck_thread_state state;
  while (reader.next(&w, &state)) {
    if (w.kind == CK_WB_THREAD && w.id == id) {
      r.state = state;
      return true;
    }
    if (other_ != nullptr) other_(w);
  }
  return false;
}

int32_t ThreadLibrary::park(uint32_t handle) {
  if (handle >= count_ || !threads_[handle].loaded) return CK_E_ARGUMENT;
  Record& r = threads_[handle];
  if (const int32_t s = unload_thread(r.id); s != CK_OK) return s;
  r.loaded = false;
  return take_writeback(r.id, r) ? CK_OK : CK_E_IO;
}

int32_t ThreadLibrary::unpark(uint32_t handle) {
  if (handle >= count_ || threads_[handle].loaded) return CK_E_ARGUMENT;
  Record& r = threads_[handle];
  const CallResult t = load_thread(space_, handle, r.priority << CK_PRIORITY_SHIFT, r.state);
  if (!t.ok()) return t.status;
  r.id = t.value;
  r.loaded = true;
  return CK_OK;
}

int32_t SchedulingThread::start(ck_id space, ThreadStacks& stacks, uint32_t priority, uint32_t rounds) {
  rounds_ = rounds;
  const ck_thread_state s = thread_state(&SchedulingThread::run, reinterpret_cast<uint32_t>(this), stacks);
  return load_thread(space, 0, CK_LOCK | priority << CK_PRIORITY_SHIFT, s).status;
}

void SchedulingThread::run(uint32_t self) {
  auto* t = reinterpret_cast<SchedulingThread*>(self);
  const uint32_t tick_ns = query(CK_QUERY_TICK_NS).value;
  while (t->rounds_ == 0 || t->rounds_done_ < t->rounds_) {
    // The period ends on the tick after it: a little less than whole ticks.
    block_self(t->period_ticks_ * tick_ns - tick_ns / 2);
    t->reschedule();
    t->rounds_done_ = t->rounds_done_ + 1;
  }
}

}  // namespace ak
