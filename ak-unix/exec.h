// Loading a program into a process (paper §2: the emulator builds each process's address
// space itself): its segments as regions paged in from the file on demand, the stack and
// Linux's initial stack contents, the heap's start. Used to start a process and by execve.
#pragma once

#include <stdint.h>

#include "process.h"
#include "program.h"

namespace unixemu {

struct ExecArgs {
  const char* const* argv;
  uint32_t argc;
  const char* const* envp;
  uint32_t envc;
};

// The program `path` names (from directory `cwd`): 0 and its node and parsed headers, or
// -errno: ENOENT, ENOTDIR, ELOOP, EACCES (not a file, or no execute bit), ENOEXEC.
int32_t find_program(uint32_t cwd, const char* path, uint32_t length, uint32_t* node, Program* program);

// Gives `p` the program's memory (its old regions and pages must be gone) and initial
// stack: 0 and where its thread starts (pc, sp), or -errno (E2BIG, ENOMEM). Its program
// path becomes `path` (/proc/self/exe) and its heap starts after the program.
int32_t load_image(Process& p, uint32_t node, const Program& program, const char* path, ExecArgs args, uint32_t* pc,
                   uint32_t* sp);

// Drops every page and region of `p` (the Cache Kernel's mappings with them).
void drop_image(Process& p);

}  // namespace unixemu
