// A process's interval timers (setitimer/getitimer/alarm; Linux's ITIMER_REAL,
// ITIMER_VIRTUAL, ITIMER_PROF): each a deadline on its clock (nanoseconds: the uptime for
// the real timer, the process's processor time for the other two) and the interval it is
// re-armed with after it fires. The first thread's pass fires them (sys_timer.cpp), so a
// timer fires at most one pass (about 10 ms) late. A pure part: host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

class IntervalTimer {
 public:
  bool armed() const { return deadline_ != 0; }
  uint64_t interval() const { return interval_; }
  // What is left until it fires, at clock value `now`: 0 when disarmed, at least 1 when
  // armed (Linux never reports an armed timer as 0: it would read as disarmed).
  uint64_t remaining(uint64_t now) const {
    if (!armed()) return 0;
    return deadline_ > now ? deadline_ - now : 1;
  }
  // Arms it to fire `value` ns after `now`, then every `interval` ns (0: once); a value of
  // 0 disarms it.
  void set(uint64_t now, uint64_t value, uint64_t interval) {
    deadline_ = value == 0 ? 0 : now + value;
    interval_ = value == 0 ? 0 : interval;
  }
  // Whether it fires at `now`: then it is re-armed one interval on (past expiries it
  // missed are skipped: their signals would merge into one anyway) or disarmed.
  bool fire(uint64_t now) {
    if (!armed() || deadline_ > now) return false;
    if (interval_ == 0) {
      deadline_ = 0;
    } else {
      const uint64_t missed = (now - deadline_) / interval_;
      deadline_ += (missed + 1) * interval_;
    }
    return true;
  }

 private:
  uint64_t deadline_ = 0, interval_ = 0;
};

}  // namespace unixemu
