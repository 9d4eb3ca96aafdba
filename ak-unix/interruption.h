// Where a signal ends a wait (issue 18 item 3: EINTR and SA_RESTART for every blocking
// call). The calls that block on blocking.h (pipes, poll, select, sleeps) ask this each
// time they are made again, before they would wait again: true makes them end with
// -EINTR (a sleep writes what is left; a write that moved bytes returns their count) and
// drop what they kept in Process::call_*. The signals work fills it in (a signal pending,
// not blocked, caught or ending the process); until then no wait is cut short.
#pragma once

#include "process.h"

namespace unixemu {

inline bool signal_ends_wait(const Process&) { return false; }

// What a blocking call kept between its attempts is dropped as it returns.
inline void end_call(Process& p) {
  p.call_again = false;
  p.call_deadline = 0;
  p.call_done = 0;
}

}  // namespace unixemu
