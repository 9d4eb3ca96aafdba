// Where a signal ends a wait (issue 18 item 3: EINTR and SA_RESTART for every blocking
// call). The calls that block on blocking.h (pipes, poll, select, sleeps) ask this each
// time they are made again, before they would wait again: true makes them end with
// -EINTR (a sleep writes what is left; a write that moved bytes returns their count) and
// drop what they kept in Process::call_*. A call that may be made again after a handler
// returns ends with ERESTARTSYS (pipes, waits) or ERESTARTNOHAND (poll, select) instead:
// the signal path decides (signal_delivery.h).
#pragma once

#include "process.h"

namespace unixemu {

// A signal pending (for the thread, or for its process) and not blocked (one that ends
// the process never waits: it ended it).
inline bool signal_ends_wait(const Process& p) {
  return ((p.pending_signals | p.group().shared_signals) & ~p.signal_mask) != 0;
}

// What a blocking call kept between its attempts is dropped as it returns.
inline void end_call(Process& p) {
  p.call_again = false;
  p.call_deadline = 0;
  p.call_done = 0;
}

}  // namespace unixemu
