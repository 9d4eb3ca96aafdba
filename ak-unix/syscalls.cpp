// System-call dispatch (syscalls.h): one table by number, built from the groups' tables.
#include "syscalls.h"

namespace unixemu {

namespace {

constexpr uint32_t kNumbers = 451;  // Linux 6.1's m68k calls are numbered below this

struct Table {
  SyscallFunction functions[kNumbers] = {};
  Table() {
    const SyscallGroup groups[] = {process_syscalls(),   memory_syscalls(), file_syscalls(), tree_syscalls(),
                                   lifecycle_syscalls(), pipe_syscalls(),   poll_syscalls(), signal_syscalls(),
                                   priority_syscalls(),  futex_syscalls()};
    for (const SyscallGroup& g : groups)
      for (uint32_t i = 0; i < g.count; ++i) functions[g.entries[i].number] = g.entries[i].function;
  }
};
const Table g_table;  // built at start-up, before ak_main

}  // namespace

SyscallFunction syscall_function(uint32_t number) { return number < kNumbers ? g_table.functions[number] : nullptr; }

}  // namespace unixemu
