// The emulator's exception handler (paper §2.1, §2.3): every trap, page fault and other
// exception of a process's thread arrives here, on that thread's exception stack in the
// emulator's space. System calls are done and the thread resumed; page faults are
// answered from the process's regions; anything else ends the process with the signal
// Linux would send (full signal delivery is issue 18).
#pragma once

#include "libak.h"

namespace unixemu {

struct Process;

// The handler is the emulator's own ak_exception_entry (libak.h): the Cache Kernel enters
// it directly, without libak's handler object (every system call goes through it).

// The system call of `p`'s thread made again by its handler (holding the lock, on the
// frame `e` of the trap, not changed by the call's first attempt), as when its trap comes
// again after a resume on it, without the trap and the resume (blocking.h: a wait in
// place ended). Does not return.
[[noreturn]] void make_call_again(Process& p, ck_exception& e);

// Debug output: unknown system calls are logged (once each) when on.
void set_verbose(bool on);

// A bug on purpose (the `crash=N` argument): the handler writes through a null pointer
// while it handles the Nth system call (0: never). Issue 18 item 10: the emulator itself
// faulting is contained by the SRM, the other kernels running on.
void set_crash_at(uint32_t call);

}  // namespace unixemu
