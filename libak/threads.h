// The processing part of the application-kernel class library (paper §3): a thread
// library that schedules by loading threads into the Cache Kernel and descheduling them
// by unloading (their state kept from the writeback), and a scheduling-thread helper: a
// locked high-priority thread that wakes every few ticks to adjust the others (§2.3).
#pragma once

#include <stdint.h>

#include "ck_call.h"

namespace ak {

// A thread's memory: its stack and its exception stack.
struct ThreadStacks {
  uint32_t stack[1024];
  uint8_t exception_stack[2048];
};

// A thread that ends by returning: it unloads itself.
[[noreturn]] void thread_exit();
// The state of a thread starting `entry(argument)` on `stacks`, returning into
// thread_exit; `signal_function` as ck_thread_state has it (0: none).
ck_thread_state thread_state(void (*entry)(uint32_t), uint32_t argument, ThreadStacks& stacks,
                             uint32_t signal_function = 0);

class ThreadLibrary {
 public:
  static constexpr uint32_t kMaxThreads = 32;
  using Entry = void (*)(uint32_t argument);

  // Threads in `space` (owned by this kernel), whose writebacks arrive in `ring`; other
  // records found there while looking for a parked thread's go to `other`.
  using OtherWriteback = void (*)(const ck_writeback& record);
  ThreadLibrary(ck_id space, uint32_t ring, OtherWriteback other) : space_(space), ring_(ring), other_(other) {}

  // A thread running entry(argument) on `stacks` at `priority`, loaded (runnable);
  // returns its handle (or kMaxThreads when full or the load failed).
  uint32_t spawn(Entry entry, uint32_t argument, ThreadStacks& stacks, uint32_t priority);
  // Deschedules it: unloaded from the Cache Kernel, its state kept here (CK_E_RETRY: the
  // ring is full; read it and park again).
  int32_t park(uint32_t handle);
  // Reschedules it: loaded again with the state it had.
  int32_t unpark(uint32_t handle);
  bool loaded(uint32_t handle) const { return handle < count_ && threads_[handle].loaded; }
  ck_id id(uint32_t handle) const { return threads_[handle].id; }
  uint32_t count() const { return count_; }

 private:
  struct Record {
    ck_thread_state state;
    ck_id id = 0;
    uint32_t priority = 0;
    bool loaded = false;
  };
  // Reads the ring until the writeback of `id`, keeping its state in `r`.
  bool take_writeback(ck_id id, Record& r);

  ck_id space_;
  uint32_t ring_;
  OtherWriteback other_;
  Record threads_[kMaxThreads];
  uint32_t count_ = 0;
};

// A scheduling thread (§2.3): wakes every `period_ticks`, runs reschedule(), sleeps.
class SchedulingThread {
 public:
  explicit SchedulingThread(uint32_t period_ticks) : period_ticks_(period_ticks) {}
  // Loads it, locked, at `priority` in `space`: it runs `rounds` rounds (0: forever).
  int32_t start(ck_id space, ThreadStacks& stacks, uint32_t priority, uint32_t rounds);
  uint32_t rounds_done() const { return rounds_done_; }

 protected:
  ~SchedulingThread() = default;
  virtual void reschedule() = 0;

 private:
  static void run(uint32_t self);

  uint32_t period_ticks_;
  uint32_t rounds_ = 0;
  volatile uint32_t rounds_done_ = 0;
};

}  // namespace ak
