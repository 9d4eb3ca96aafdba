// System-call dispatch (syscalls.h): one table by number, built from the groups' tables.
#include "syscalls.h"

namespace unixemu {

SyscallTable::SyscallTable() {
  const SyscallGroup groups[] = {process_syscalls(),   memory_syscalls(), file_syscalls(), tree_syscalls(),
                                 lifecycle_syscalls(), pipe_syscalls(),   poll_syscalls(), signal_syscalls(),
                                 priority_syscalls(),  futex_syscalls(),  timer_syscalls()};
  for (const SyscallGroup& g : groups)
    for (uint32_t i = 0; i < g.count; ++i) functions[g.entries[i].number] = g.entries[i].function;
}

const SyscallTable g_syscall_table;  // built at start-up, before ak_main

}  // namespace unixemu
