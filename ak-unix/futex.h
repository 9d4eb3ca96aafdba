// Futexes (issue 18 item 2; paper §2.3: a thread waiting on a futex is blocked on a
// long-term event, so it is unloaded from the Cache Kernel and reloaded when woken).
// futex(2) and futex_time64: FUTEX_WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE,
// CMP_REQUEUE, the PRIVATE flag, relative (WAIT) and absolute (WAIT_BITSET, on
// CLOCK_MONOTONIC or with FUTEX_CLOCK_REALTIME) timeouts, with Linux's errors. A waiter
// waits on blocking.h (WaitKind::Futex) with its word's address and bitset in its
// thread's slot; a wake marks it woken (its call, made again, returns 0) and ends its
// wait. A futex is named by its thread group and address: private and shared futexes
// are the same here (a futex in MAP_SHARED memory is not shared between processes).
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// Wakes up to `count` threads of `leader`'s group waiting on the futex at `address` whose
// bitset meets `bitset` (the oldest waits first; count <= 0 wakes one, as Linux's loop
// does): how many.
uint32_t futex_wake(Process& leader, uint32_t address, int32_t count, uint32_t bitset);

}  // namespace unixemu
