// The descriptors the Cache Kernel caches (paper §2, Table 1): kernel objects (§2.4),
// address-space objects (§2.1) and thread objects (§2.3). Page mappings live in the page
// tables plus one physical-memory-map record each (physmap.h, §4.1).
#pragma once

#include "ck/abi.h"
#include "cpu_share.h"
#include "object_id.h"
#include "page_groups.h"
#include "thread.h"

namespace ck {

inline constexpr u32 kNoSlot = 0xffffffff;
inline constexpr u32 kObjectTypes = 4;  // kernel, space, thread, mapping (ck_object_type)
inline constexpr u32 kMaxPriority = CK_PRIORITY_COUNT - 1;

// An application kernel (§2.4): where its exceptions go, where its writebacks go, and
// the resources the SRM granted it (§4.3).
struct KernelObject {
  PageGroups rights;
  VirtAddr handler;    // in its home space
  u32 home = kNoSlot;  // its home space's slot
  PhysAddr ring;       // writeback ring (ck_ring_header first)
  u32 ring_slots = 0;  // 32-byte slots, the header included
  u32 ring_head = 1;   // the Cache Kernel's own copy: the shared header is not trusted
  u32 cookie = 0;
  u32 cpu_percent = 0;
  u32 max_priority = 0;
  // Processor accounting (§4.3; scheduling.cpp).
  u64 run_ns = 0;
  u64 charged_ns = 0;
  ShareWindow window;
  bool throttled = false;  // over its share: its threads run below everyone else's
  u32 threads = 0;         // loaded threads it owns
  u16 lock_quota[kObjectTypes] = {};
  u16 locked[kObjectTypes] = {};
  u32 spaces = 0;  // loaded address spaces it owns
};

// An address space (§2.1): its page tables (the AddressSpace the run loop switches to)
// and its owner. Its mappings are the translations in the tables.
struct SpaceObject {
  AddressSpace tables;
  u32 kernel = kNoSlot;
  u32 cookie = 0;
  u32 mappings = 0;         // loaded mappings
  u32 signal_mappings = 0;  // of which with a signal thread
  u32 signal_threads = 0;   // its threads that are some mapping's signal thread
  u32 threads = 0;          // loaded threads that belong to it
  bool home = false;
};

// A thread (§2.3). Thread::context points at Thread::own while the thread runs its own
// code and at `handler` while it runs its kernel's exception handler; `own` then keeps
// the interrupted state untouched, to resume.
struct ThreadObject : Thread {
  arch::UserContext handler;
  arch::UserContext signal;               // its signal function, while in_signal
  arch::UserContext* interrupted = &own;  // what the exception handler resumes (own or signal)
  u32 slot = kNoSlot;
  u32 home_space = kNoSlot;  // its own address space (Thread::space is where it runs now)
  u32 kernel = kNoSlot;
  u32 cookie = 0;
  u32 priority = 0;
  VirtAddr exception_stack;
  VirtAddr exception_frame;  // while in_exception: the ck_exception the handler got
  bool in_exception = false;
  bool halted = false;  // faulted with nowhere to go and no room to write it back
  // Blocking (§2.3; scheduling.cpp).
  bool blocked = false;
  bool blocked_itself = false;         // its CK_BLOCK returns when it is woken
  bool wake_pending = false;           // woken while not blocked
  u64 wake_at = 0;                     // when a timed block ends (0: none)
  ThreadObject* sleep_next = nullptr;  // the timed blocks, soonest first
  // Signals (§2.2; signals.cpp): the function they enter, those waiting to.
  VirtAddr signal_function;
  bool in_signal = false;
  bool waiting_signal = false;  // in CK_WAIT_SIGNAL (blocked too)
  u32 signal_queue[CK_SIGNAL_QUEUE] = {};
  u32 signal_head = 0;
  u32 signal_count = 0;
  u32 signal_mappings = 0;  // mappings that name it as their signal thread
  // Accounting.
  u64 run_ns = 0;
  u64 charged_ns = 0;
  u32 dispatches = 0;
};

}  // namespace ck
