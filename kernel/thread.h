// A user thread as the kernel runs it (paper §2.3): its complete saved state, the
// address space it runs in, and its place in the run queue. The thread cache of the
// object-cache layer (paper §2, Table 1) builds on this.
#pragma once

#include "arch/arch.h"
#include "lib/types.h"

namespace ck {

// The tables of one address space, by their root (paper §4.1).
struct AddressSpace {
  PhysAddr tables;
  bool calls = false;  // a trap #0 here is a Cache Kernel call: its kernel's home space
};

struct Thread {
  Thread() = default;
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  arch::UserContext own;              // the thread's own state
  arch::UserContext* context = &own;  // what runs next: `own`, or an exception handler's
  AddressSpace* space = nullptr;      // where `context` runs
  u32 id = 0;

  // Run-queue links and level (run_queue.h); the links are null while not queued.
  Thread* next = nullptr;
  Thread* prev = nullptr;
  u8 level = 0;
};

}  // namespace ck
