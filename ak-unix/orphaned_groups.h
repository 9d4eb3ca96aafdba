// Orphaned process groups (POSIX; Linux's kernel/exit.c, issue 18 item 1): a group none
// of whose members has a parent in another group of the same session has nobody left to
// continue its stopped jobs. When a process's end makes a group orphaned (its own, or its
// children's, now init's) and a member of it is stopped, every member gets SIGHUP then
// SIGCONT; and a member of an orphaned group is not stopped by SIGTSTP, SIGTTIN or SIGTTOU
// (their default action is discarded).
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// Whether group `pgid` is orphaned, not counting process `ignored` (Linux's
// will_become_orphaned_pgrp): ended processes and those whose parent is init count for
// nothing.
bool group_orphaned(uint32_t pgid, const Process* ignored = nullptr);

// Leader `p` ends (a zombie now, its children handed to init already): the groups it
// orphans that have a stopped member get SIGHUP and SIGCONT (Linux's kill_orphaned_pgrp,
// for its own group and each child's). `children` holds, bit per slot, the children it
// had.
void hang_up_orphaned(Process& p, uint64_t children);

}  // namespace unixemu
