// The descriptors the Cache Kernel caches (paper §2, Table 1): kernel objects (§2.4),
// address-space objects (§2.1) and thread objects (§2.3). Page mappings live in the page
// tables plus one physical-memory-map record each (memory_map.h, §4.1).
//
// A descriptor holds what the object *is*; what the other parts keep about it (its
// page groups and lock quotas, its ring, its CPU share, its signal queue, its mapping
// counts) lives in those parts, in arrays indexed by the same slot. The descriptors
// belong to the object tables (object_tables.h), which alone change KernelObject and
// SpaceObject; a ThreadObject changes its own execution state through the transitions
// below, which keep its state, context and address space in step.
#pragma once

#include "ck/abi.h"
#include "object_id.h"
#include "thread.h"
#include "thread_state.h"

namespace ck {

inline constexpr u32 kNoSlot = 0xffffffff;
inline constexpr u32 kObjectTypes = 4;  // kernel, space, thread, mapping (ck_object_type)
inline constexpr u32 kMaxPriority = CK_PRIORITY_COUNT - 1;

// What a forwarded exception puts on the handler's stack, lowest address first: a
// return address (0: the handler must resume, not return), the frame pointer argument,
// the ck_exception, longword-aligned below the exception stack's top.
inline constexpr u32 kHandlerStackBytes = 8 + sizeof(ck_exception);
// Where that ck_exception goes below `stack_top`; 0 when there is no room.
constexpr u32 handler_frame(u32 stack_top) {
  return stack_top < kHandlerStackBytes ? 0 : (stack_top - sizeof(ck_exception)) & ~3u;
}

// An application kernel (§2.4): where its exceptions go and what it owns.
struct KernelObject {
  VirtAddr handler;    // in its home space
  u32 home = kNoSlot;  // its home space's slot
  u32 cookie = 0;
  u32 spaces = 0;           // loaded address spaces it owns
  u32 threads = 0;          // loaded threads it owns
  bool home_paged = false;  // CK_KERNEL_HOME_PAGED: its home space's faults go to the first kernel
};

// An address space (§2.1): its page tables (the AddressSpace the run loop switches to)
// and its owner. Its mappings are the translations in the tables.
struct SpaceObject {
  AddressSpace tables;
  u32 kernel = kNoSlot;
  u32 cookie = 0;
  u32 threads = 0;  // loaded threads that belong to it
  bool home = false;
};

// A thread (§2.3). Thread::context is `own` while it runs its own code, `signal` in its
// signal function and `handler` in its kernel's exception handler; `interrupted` is
// what the handler resumes, kept untouched meanwhile.
class ThreadObject : public Thread {
 public:
  u32 slot() const { return slot_; }
  u32 kernel() const { return kernel_; }
  u32 home_space() const { return home_space_; }
  u32 cookie() const { return cookie_; }
  VirtAddr exception_stack() const { return exception_stack_; }
  // While in an exception: the ck_exception the handler got.
  VirtAddr exception_frame() const { return exception_frame_; }
  const ThreadState& state() const { return state_; }
  const arch::UserContext& interrupted() const { return *interrupted_; }
  arch::UserContext& interrupted() { return *interrupted_; }
  // What the entry path forwards its traps from (arch::ExceptionCard), filled on load.
  const arch::ExceptionCard& card() const { return card_; }

  // ---- Transitions (thread_state.h), each keeping context and space in step ------
  void block(bool self) { state_.block(self); }
  void wait_signal() { state_.wait_signal(); }
  void unblock() { state_.unblock(); }
  void halt() { state_.halt(); }
  // Into its signal function at `function`, its stack `sp`, the argument `va`.
  void enter_signal(VirtAddr function, VirtAddr sp, u32 va);
  void leave_signal();
  // Into its kernel's handler at `entry` in `home` (the kernel's home space), on `sp`,
  // with the frame at `frame`.
  void enter_handler(VirtAddr entry, VirtAddr sp, VirtAddr frame, AddressSpace* home);
  // The same when the entry path sets the handler's registers itself (the forward fast
  // path, arch::HandlerEntry).
  void enter_handler_directly(VirtAddr frame, AddressSpace* home);
  // Back to what the handler interrupted, in its own space `own_space`.
  void leave_handler(AddressSpace* own_space);
  // Before the slot is reused: no context of it may go on owning the FPU.
  void save_contexts();

 private:
  friend class ObjectTables;  // sets the identity on load
  friend class Invariants;
  friend struct FastPathLayout;  // what the entry path changes itself (calls.cpp)

  arch::UserContext handler_;
  arch::UserContext signal_;
  arch::UserContext* interrupted_ = &own;
  ThreadState state_;
  u32 slot_ = kNoSlot;
  u32 kernel_ = kNoSlot;
  u32 home_space_ = kNoSlot;  // its own address space (Thread::space is where it runs now)
  u32 cookie_ = 0;
  VirtAddr exception_stack_;
  VirtAddr exception_frame_;
  arch::ExceptionCard card_;
};

}  // namespace ck
