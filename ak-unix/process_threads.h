// Threads of a UNIX process (issue 18 item 2; paper §2: the emulator may load several
// Cache Kernel threads into one of its address spaces, and §2.3: each is loaded,
// blocked, unloaded and reloaded on its own). clone as glibc's pthread_create calls it
// (CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID) makes a
// thread: a slot of the process table (process.h) naming its group's leader, with its own
// tid, registers, thread pointer (the Cache Kernel's thread value), signal mask and
// exception stack, loaded into the leader's space. Its end (exit) writes 0 at its
// clear-tid address and wakes a futex waiter there; exit_group, a fatal signal and execve
// end every other thread of the group.
#pragma once

#include <stdint.h>

#include "fork.h"
#include "process.h"

namespace unixemu {

// The clone flags a thread must have (Linux's rules: CLONE_THREAD needs CLONE_SIGHAND,
// which needs CLONE_VM); a thread shares files and the working directory here whatever
// CLONE_FILES and CLONE_FS say (EINVAL without them, which glibc always passes).
bool thread_flags_valid(uint32_t flags);

// A new thread of the caller's process (the caller in its system call): its registers
// the caller's at the trap with d0 = 0 and sp `q.stack`, its thread pointer `q.tls`
// (CLONE_SETTLS). The thread, or nullptr with *error = -EAGAIN (no slot) or -ENOMEM.
Process* create_thread(Process& caller, const ForkRequest& q, int32_t* error);

// The caller's thread ends (exit): its clear-tid word is cleared and woken, and the
// process ends with `wait_status` if it was its last thread. Does not return.
[[noreturn]] void exit_thread(Process& t, uint32_t wait_status);

// Every thread of `leader`'s group but `keep` (nullptr: all, the leader's own included)
// leaves the Cache Kernel; their slots are freed (the leader's stays, its thread gone).
void end_threads(Process& leader, const Process* keep);

// execve by thread `t`, not its process's leader, once the new program is in the space
// (pc and sp its start): the leader's slot gets a new thread starting there with `t`'s
// signal state (the process keeps its pid, as Linux's de_thread makes the exec'ing
// thread the leader) and `t` ends. Does not return.
[[noreturn]] void exec_in_leader(Process& t, uint32_t pc, uint32_t sp);

// Threads of `leader`'s group whose thread has not ended.
uint32_t live_threads(const Process& leader);

// The thread that takes a signal sent to the process `leader` leads (Linux's
// complete_signal): the leader if it does not block it, else the first thread that does
// not; nullptr when every thread blocks it (it is then the process's: its shared pending
// set, signal_post.h).
Process* signal_thread(Process& leader, uint32_t signal);

// The first thread's pass: threads that ended are unloaded and their slots freed.
void free_ended_threads();

// Processor time (sys_process.cpp): the thread's (CLOCK_THREAD_CPUTIME_ID) and its
// process's, every thread's with those that ended (CLOCK_PROCESS_CPUTIME_ID).
uint64_t thread_cpu_ns(Process& p);
uint64_t process_cpu_ns(Process& p);

}  // namespace unixemu
