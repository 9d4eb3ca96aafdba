// Memory-based messaging (paper §2.2, §4.1): a signal on an address in a message-mode
// page goes to the signal threads of the page's other mappings (memory_map.h finds
// them), each given its own virtual address: it enters the thread's signal function, or
// ends its CK_WAIT_SIGNAL, or waits in the thread's queue. A signal on a device page
// goes to its driver (device_table.h).
//
// Owns: per thread slot, its signal function and its queue of signals not yet taken.
// Invariants: a queue holds at most CK_SIGNAL_QUEUE signals; a thread enters its signal
// function only while Ready, running its own context (thread_state.h).
#pragma once

#include "config.h"
#include "device_table.h"
#include "memory_map.h"
#include "scheduler.h"

namespace ck {

class Messaging {
 public:
  Messaging(ObjectTables& tables, MemoryMap& map, Scheduler& scheduler, DeviceTable& devices)
      : tables_(tables), map_(map), scheduler_(scheduler), devices_(devices) {}

  // A thread just loaded: its signal function, no signals queued.
  void admit(u32 thread, VirtAddr signal_function) {
    ThreadSignals& q = threads_[thread];
    q.function = signal_function;
    q.head = q.count = 0;  // what the queue held before means nothing now
  }
  VirtAddr signal_function(u32 thread) const { return threads_[thread].function; }
  u32 queued(u32 thread) const { return threads_[thread].count; }
  // The same counts for the entry path (arch::FastPathLinks): slot 0's, the others
  // queued_stride() bytes apart.
  const u32* queued_counts() const { return &threads_[0].count; }
  static constexpr u32 queued_stride() { return sizeof(ThreadSignals); }

  // CK_SIGNAL by `sender` on `va` in the space it runs in (its own, or its kernel's home
  // while in its exception handler); *delivered counts those that got it.
  ck_status signal(ThreadObject& sender, VirtAddr va, u32* delivered);
  // A signal from the Cache Kernel itself (a driver, the writeback channel) on a
  // physical page: to the signal threads of the page's mappings.
  void signal_physical(PhysAddr page, u32 offset) {
    if (map_.any_signal_records()) signal_mappings_of(page, offset);
  }
  // CK_SIGNAL_RETURN: the next queued signal, or back to the interrupted state.
  ck_status signal_return(ThreadObject& t);
  // CK_WAIT_SIGNAL: the next signal's address in *value, or the thread waits for one.
  ck_status wait_signal(ThreadObject& t, u32* value);
  // Enters the signal function for the oldest queued signal if the thread can take it
  // now (after it was woken, or left its exception handler).
  void deliver_pending(ThreadObject& t);

 private:
  friend class Invariants;

  struct ThreadSignals {
    VirtAddr function;  // 0: signals only queue (or end CK_WAIT_SIGNAL)
    u32 queue[CK_SIGNAL_QUEUE] = {};
    u32 head = 0;
    u32 count = 0;
  };

  void signal_mappings_of(PhysAddr page, u32 offset);
  // Whether the thread can take one more signal now.
  bool can_take(u32 thread) const {
    return threads_[thread].count < CK_SIGNAL_QUEUE ||
           tables_.thread(thread).state().activity() == Activity::WaitingSignal;
  }
  // To the signal threads of physical `page`'s mappings found by the two lookups but
  // `sender` (a thread slot, or kNoSlot); the number that took it. Caches a single
  // receiver in the reverse TLB.
  u32 deliver_to_mappings(PhysAddr page, u32 offset, u32 sender);
  bool deliver(ThreadObject& t, u32 va);
  u32 take(u32 thread);

  ObjectTables& tables_;
  MemoryMap& map_;
  Scheduler& scheduler_;
  DeviceTable& devices_;
  ThreadSignals threads_[kThreadCapacity];
};

}  // namespace ck
