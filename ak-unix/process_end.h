// How processes end and are reaped (issue 18 item 1; paper §2.3): exit and exit_group,
// death by a signal's default action, zombies kept with their wait status until their
// parent reaps them, orphans re-parented to pid 1 (init), the parent woken from wait4 and
// a vfork parent from its wait. A zombie's memory and Cache Kernel objects are freed at
// once by the first thread (finish_process); only its slot waits for the reaping.
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// Orphans go to init.
inline constexpr uint32_t kInitPid = 1;

// Ends the process of thread `target` (not the caller's process) with `wait_status` (a
// signal's number): its threads, wherever they are (running, waiting for the lock,
// blocked in a call, unloaded), leave the Cache Kernel and it becomes a zombie.
void terminate_process(Process& target, uint32_t wait_status);

// True when nobody will reap zombie `z`: its parent is gone (the test runner, pid 1
// without a process) or ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT, as Linux reaps such
// children itself). The first thread releases those.
bool reaped_by_nobody(const Process& z);
// Every thread of process `parent` waiting in wait4/waitid is woken (a child changed).
void wake_child_waiters(Process& parent);
// The parent's wait4 takes zombie `z`: its slot is free again.
void reap(Process& z);

}  // namespace unixemu
