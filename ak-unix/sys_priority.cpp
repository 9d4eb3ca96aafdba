// Priority system calls (syscalls.h; issue 18 item 7): nice, getpriority and setpriority
// with Linux's rules (kernel/sys.c, kernel/sched/core.c), feeding the scheduling policy
// (scheduler.h: a process's nice moves its interactive level and its floor). Every process
// is root's (uid 0), as getuid says, so lowering a nice value is allowed as Linux allows
// it to root; PRIO_USER names every process for uid 0 and none for another uid.
#include "emulator.h"
#include "libak.h"
#include "linux_abi.h"
#include "scheduler.h"
#include "syscalls.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr uint32_t kPrioProcess = 0, kPrioPgrp = 1, kPrioUser = 2;
// getpriority's raw answer is 20 - nice (1..40: never negative, so never an error).
constexpr int32_t kNiceOffset = 20;

// Calls f(process) for each process `which` and `who` name; false when there is none.
template <typename F>
bool for_each_named(Process& caller, uint32_t which, int32_t who, F f) {
  bool any = false;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& q = processes().slot(i);
    if (q.state == ProcessState::Free) continue;
    bool named = false;
    if (which == kPrioProcess) named = who == 0 ? &q == &caller : q.pid == static_cast<uint32_t>(who);
    // A process group's every thread (a thread's group is its leader's).
    if (which == kPrioPgrp) named = q.group().pgid == (who == 0 ? caller.group().pgid : static_cast<uint32_t>(who));
    if (which == kPrioUser) named = who == 0;  // everyone is uid 0
    if (!named) continue;
    any = true;
    f(q);
  }
  return any;
}

// Gives `q` nice value `nice`, and its thread (when loaded) its new level at once.
void set_nice(Process& q, int32_t nice) {
  const uint32_t slot = processes().index_of(q);
  scheduler().set_nice(slot, nice);
  if (q.state == ProcessState::Running && q.thread != 0) ak::set_priority(q.thread, scheduler().level(slot));
}

uint32_t sys_getpriority(Process& p, const SyscallArgs& a) {
  if (a[0] > kPrioUser) return error(abi::kEINVAL);
  int32_t best = 0;
  const bool any = for_each_named(p, a[0], static_cast<int32_t>(a[1]), [&](Process& q) {
    const int32_t raw = kNiceOffset - scheduler().nice(processes().index_of(q));
    if (raw > best) best = raw;
  });
  return any ? static_cast<uint32_t>(best) : error(abi::kESRCH);
}

uint32_t sys_setpriority(Process& p, const SyscallArgs& a) {
  if (a[0] > kPrioUser) return error(abi::kEINVAL);
  int32_t nice = static_cast<int32_t>(a[2]);
  nice = nice < kNiceMin ? kNiceMin : nice > kNiceMax ? kNiceMax : nice;
  const bool any = for_each_named(p, a[0], static_cast<int32_t>(a[1]), [&](Process& q) { set_nice(q, nice); });
  return any ? 0 : error(abi::kESRCH);
}

// nice(increment): the caller's nice moved by the increment (clamped to 40 each way
// first, then the sum to [-20, 19]).
uint32_t sys_nice(Process& p, const SyscallArgs& a) {
  int32_t increment = static_cast<int32_t>(a[0]);
  increment = increment < -40 ? -40 : increment > 40 ? 40 : increment;
  int32_t nice = scheduler().nice(processes().index_of(p)) + increment;
  nice = nice < kNiceMin ? kNiceMin : nice > kNiceMax ? kNiceMax : nice;
  set_nice(p, nice);
  return 0;
}

constexpr SyscallEntry kEntries[] = {
    {abi::kNice, sys_nice},
    {abi::kGetpriority, sys_getpriority},
    {abi::kSetpriority, sys_setpriority},
};

}  // namespace

SyscallGroup priority_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
