// Interval timers (interval_timer.h; signal(7), setitimer(2)): setitimer and getitimer
// for ITIMER_REAL (SIGALRM, on the uptime clock), ITIMER_VIRTUAL (SIGVTALRM) and
// ITIMER_PROF (SIGPROF), both on the process's processor time (the Cache Kernel counts
// no user and system time apart), and alarm. Timers are the process's (its leader's
// slot), not inherited by fork, kept across execve, as Linux's. The first thread fires
// them in its pass (fire_timers), each with Linux's SI_KERNEL siginfo.
#include "blocking.h"
#include "emulator.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "process_threads.h"
#include "signal_post.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr uint32_t kITIMER_REAL = 0, kITIMER_VIRTUAL = 1, kITIMER_PROF = 2;
constexpr uint32_t kItimervalBytes = 16;  // struct itimerval: two struct timevals of two longs
constexpr uint64_t kNsPerUs = 1000, kNsPerS = 1000000000;
constexpr uint32_t kTimerSignal[Process::kTimers] = {abi::kSIGALRM, abi::kSIGVTALRM, abi::kSIGPROF};

uint64_t clock_of(Process& leader, uint32_t which) {
  return which == kITIMER_REAL ? uptime_ns() : process_cpu_ns(leader);
}

// A struct timeval from the caller: false when out of range (Linux's timespec64_valid).
bool timeval_in(const uint8_t* raw, uint64_t* ns) {
  const int32_t seconds = static_cast<int32_t>(ck::load_be32(raw));
  const int32_t micros = static_cast<int32_t>(ck::load_be32(raw + 4));
  if (seconds < 0 || micros < 0 || micros >= 1000000) return false;
  *ns = static_cast<uint64_t>(seconds) * kNsPerS + static_cast<uint64_t>(micros) * kNsPerUs;
  return true;
}

void timeval_out(uint64_t ns, uint8_t* raw) {
  ck::store_be32(raw, static_cast<uint32_t>(ns / kNsPerS));
  ck::store_be32(raw + 4, static_cast<uint32_t>(ns % kNsPerS / kNsPerUs));
}

// What getitimer reports: the interval and what is left, an armed timer never below one
// microsecond (Linux: it would read as disarmed).
void itimerval_out(Process& leader, uint32_t which, uint8_t* raw) {
  const IntervalTimer& t = leader.timers[which];
  uint64_t left = t.remaining(clock_of(leader, which));
  if (t.armed() && left < kNsPerUs) left = kNsPerUs;
  timeval_out(t.interval(), raw);
  timeval_out(left, raw + 8);
}

// setitimer(which, new, old): a null `new` disarms it (as Linux does, with a warning).
uint32_t sys_setitimer(Process& p, const SyscallArgs& a) {
  uint8_t raw[kItimervalBytes] = {};
  if (a[1] != 0) {
    if (const int32_t s = copy_in(p, a[1], raw, sizeof raw); s != 0) return error(-s);
  }
  uint64_t interval = 0, value = 0;
  if (!timeval_in(raw, &interval) || !timeval_in(raw + 8, &value)) return error(abi::kEINVAL);
  const uint32_t which = a[0];
  if (which >= Process::kTimers) return error(abi::kEINVAL);
  Process& leader = p.group();
  uint8_t old[kItimervalBytes];
  itimerval_out(leader, which, old);
  leader.timers[which].set(clock_of(leader, which), value, interval);
  if (a[2] != 0) {
    if (const int32_t s = copy_out(p, a[2], old, sizeof old); s != 0) return error(-s);
  }
  return 0;
}

uint32_t sys_getitimer(Process& p, const SyscallArgs& a) {
  const uint32_t which = a[0];
  if (which >= Process::kTimers) return error(abi::kEINVAL);
  uint8_t out[kItimervalBytes];
  itimerval_out(p.group(), which, out);
  const int32_t s = copy_out(p, a[1], out, sizeof out);
  return s != 0 ? error(-s) : 0;
}

// alarm(seconds): ITIMER_REAL once; what was left of the last one, in whole seconds
// rounded to the nearest, at least 1 if it was armed (Linux's alarm_setitimer).
uint32_t sys_alarm(Process& p, const SyscallArgs& a) {
  Process& leader = p.group();
  IntervalTimer& t = leader.timers[kITIMER_REAL];
  const uint64_t now = uptime_ns();
  const bool was_armed = t.armed();
  const uint64_t left = t.remaining(now);
  t.set(now, static_cast<uint64_t>(a[0]) * kNsPerS, 0);
  if (!was_armed) return 0;
  const uint64_t seconds = left / kNsPerS, micros = left % kNsPerS / kNsPerUs;
  return static_cast<uint32_t>(seconds == 0 || micros >= 500000 ? seconds + 1 : seconds);
}

constexpr SyscallEntry kEntries[] = {
    {abi::kSetitimer, sys_setitimer},
    {abi::kGetitimer, sys_getitimer},
    {abi::kAlarm, sys_alarm},
};

}  // namespace

void fire_timers() {
  processes().for_each_used([](Process& p) {
    if (p.state != ProcessState::Running || !p.is_leader()) return;
    for (uint32_t which = 0; which < Process::kTimers; ++which) {
      if (p.timers[which].armed() && p.timers[which].fire(clock_of(p, which)))
        post_signal(p, kTimerSignal[which], abi::kSI_KERNEL);
    }
  });
}

SyscallGroup timer_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
