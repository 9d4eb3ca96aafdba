// fork (paper §2.1: "the emulator ... implements copy-on-write" on its own records; the
// Cache Kernel only caches the mappings it is given): a new process with a copy of its
// parent's regions, descriptors (sharing their descriptions), working directory, signal
// actions and mask, heap and thread pointer. Its pages are its parent's frames, each
// reference-counted: private writable ones are mapped read-only in both (the parent's
// writable mappings are unloaded) and copied on the first write (user_memory.cpp);
// MAP_SHARED ones stay shared. Its thread starts where the parent's call returns, with
// d0 = 0.
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

struct ForkRequest {
  uint32_t flags = 0;       // clone's (the exit signal in the low byte)
  uint32_t stack = 0;       // the child's sp (0: the parent's)
  uint32_t parent_tid = 0;  // CLONE_PARENT_SETTID: where the parent gets the child's pid
  uint32_t child_tid = 0;   // CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID: in the child
  uint32_t tls = 0;         // CLONE_SETTLS: the child's thread pointer
};

// Copies the caller's process (the caller, in its system call; of a threaded process only
// the calling thread) into a new process, loads its space and thread: the child, or
// nullptr with *error = -EAGAIN (no process slot) or -ENOMEM.
Process* fork_process(Process& caller, const ForkRequest& request, int32_t* error);

// The caller's floating-point registers, as its trap left them (a new thread or child
// starts with them).
void save_caller_fpu(ck_fpu_registers* fpu);

}  // namespace unixemu
