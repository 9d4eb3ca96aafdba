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
  // AT_EXECFN: the path execve was given (a script's, when an interpreter runs it);
  // nullptr means the program's own path.
  const char* execfn = nullptr;
};

// The file `path` names (from directory `cwd`) if it may be executed: 0 and its node, or
// -errno: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EACCES (not a regular file, or no
// execute bit). execve checks this before it copies its arguments, as Linux does.
int32_t check_executable(uint32_t cwd, const char* path, uint32_t length, uint32_t* node);

// The program that runs when `path` (an executable, `node`) is executed with *args: the
// file itself if it is an ELF program, or for a `#!` script its interpreter (up to
// kMaxScriptDepth scripts deep), with *args rewritten as script.h says. 0 and the
// program's node, headers and path, or -errno: those of check_executable for an
// interpreter, ENOEXEC (neither ELF nor a well-formed script, or an ELF we cannot run),
// ELOOP (scripts nested too deep), E2BIG (no room for the interpreter's arguments).
constexpr uint32_t kMaxScriptDepth = 4;  // Linux's BINPRM_MAX_RECURSION
int32_t find_executable(uint32_t cwd, const char* path, uint32_t length, ExecArgs* args, uint32_t* node,
                        Program* program, const char** program_path);

// Gives `p` the program's memory (its old regions and pages must be gone) and initial
// stack: 0 and where its thread starts (pc, sp), or -errno (E2BIG, ENOMEM). Its program
// path becomes `path` (/proc/self/exe; AT_EXECFN unless args.execfn says otherwise) and
// its heap starts after the program.
int32_t load_image(Process& p, uint32_t node, const Program& program, const char* path, ExecArgs args, uint32_t* pc,
                   uint32_t* sp);

// Drops every page and region of `p` (the Cache Kernel's mappings with them).
void drop_image(Process& p);

// Loads into `p`'s space (when it has one) the mappings of the pages its new program
// surely touches first, before its thread resumes at `pc` with stack pointer `sp`: the
// entry's page and the initial stack's (each a fault otherwise: the forward, the
// handler, CK_LOAD_MAPPING_RESUME). A load the Cache Kernel refuses is left to the fault.
void preload_image(Process& p, uint32_t pc, uint32_t sp);

}  // namespace unixemu
