// The Linux system-call interface the emulator implements (paper §2.3: a UNIX program's
// trap is forwarded to its emulator, which does the call and resumes it). trap #0 with
// d0 = the call's number and d1-d5, a0 = its arguments; the result goes back in d0,
// -errno for an error. One function per call, grouped by subject in sys_*.cpp.
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// A call's six arguments, d1-d5 and a0, read where they lie (the first five in the
// frame's registers themselves, a0 copied): built on every call, so two words, not a
// copy of six (issue 17 item 9).
class SyscallArgs {
 public:
  // d1-d5 at `first_five`, a0 `sixth`.
  constexpr SyscallArgs(const uint32_t* first_five, uint32_t sixth) : first_five_(first_five), sixth_(sixth) {}
  explicit SyscallArgs(const ck_registers& r) : SyscallArgs(&r.d[1], r.a[0]) {}
  // Argument i (0-5), as Linux numbers them.
  constexpr uint32_t operator[](uint32_t i) const { return i < 5 ? first_five_[i] : sixth_; }

 private:
  const uint32_t* first_five_;
  uint32_t sixth_;
};

// What a call did with its caller: a result to resume it with, or it is gone (exit).
using SyscallFunction = uint32_t (*)(Process& p, const SyscallArgs& args);

// One table by number, built from the groups' tables at start-up (before ak_main).
struct SyscallTable {
  static constexpr uint32_t kNumbers = 451;  // Linux 6.1's m68k calls are numbered below this
  SyscallFunction functions[kNumbers] = {};
  SyscallTable();
};
extern const SyscallTable g_syscall_table;

// The function for call `number`, or nullptr when it is not implemented (-ENOSYS).
// Inline: every system call asks.
inline SyscallFunction syscall_function(uint32_t number) {
  return number < SyscallTable::kNumbers ? g_syscall_table.functions[number] : nullptr;
}

// The groups' tables, filled in by each sys_*.cpp.
struct SyscallEntry {
  uint32_t number;
  SyscallFunction function;
};
struct SyscallGroup {
  const SyscallEntry* entries;
  uint32_t count;
};
SyscallGroup process_syscalls();
SyscallGroup memory_syscalls();
SyscallGroup file_syscalls();
SyscallGroup tree_syscalls();
SyscallGroup lifecycle_syscalls();
SyscallGroup pipe_syscalls();
SyscallGroup poll_syscalls();
SyscallGroup signal_syscalls();
SyscallGroup priority_syscalls();
SyscallGroup futex_syscalls();
SyscallGroup timer_syscalls();
// The first thread's pass: each process's interval timers that are due fire (sys_timer.cpp).
void fire_timers();

// Ends process `p` (its thread is the caller): `wait_status` as wait4 reports it. Does
// not return.
[[noreturn]] void exit_process(Process& p, uint32_t wait_status);

constexpr uint32_t error(int32_t errno_value) { return static_cast<uint32_t>(-errno_value); }

}  // namespace unixemu
