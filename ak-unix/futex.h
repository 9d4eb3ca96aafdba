// Futexes (issue 18 item 2; paper §2.3: a thread waiting on a futex is blocked on a
// long-term event, so it is unloaded from the Cache Kernel and reloaded when woken).
// futex(2) and futex_time64: FUTEX_WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE,
// CMP_REQUEUE, WAKE_OP, the priority-inheritance LOCK_PI, LOCK_PI2, TRYLOCK_PI and
// UNLOCK_PI, the PRIVATE flag, relative (WAIT) and absolute (WAIT_BITSET, the LOCK_PIs,
// on CLOCK_MONOTONIC or CLOCK_REALTIME) timeouts, with Linux's errors. A waiter
// waits on blocking.h (WaitKind::Futex) with its futex's key and bitset in its thread's
// slot; a wake marks it woken (its call, made again, returns 0) and ends its wait. A
// futex is named as Linux's get_futex_key names it: by its process and address, or, for
// a shared (not PRIVATE) futex in MAP_SHARED memory, by the frame and offset of its word,
// so that processes sharing the memory share the futex.
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// Wakes up to `count` threads waiting on the shared futex at `address` of `p`'s memory
// (as the clear-tid wake at a thread's exit does) whose bitset meets `bitset` (the
// oldest waits first): how many.
uint32_t futex_wake(Process& p, uint32_t address, int32_t count, uint32_t bitset);

// Robust futexes (set_robust_list; Linux's exit_robust_list): thread `t` ends or execs,
// and every lock on its robust list (and the one its list_op_pending names) that it still
// holds gets FUTEX_OWNER_DIED and wakes a waiter, so that the next pthread_mutex_lock of a
// robust mutex returns EOWNERDEAD instead of waiting for good. At most kRobustListLimit
// entries (a list that loops or lies ends the walk); the list is forgotten after.
inline constexpr uint32_t kRobustListLimit = 2048;
inline constexpr uint32_t kRobustHeadBytes = 12;  // struct robust_list_head
void release_robust_futexes(Process& t);

}  // namespace unixemu
