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

// The old image's read-only mappings an execve leaves in the Cache Kernel until the new
// image is there (issue 18 item 11): an exec of the same program (a fork + exec of
// itself, a shell's exec of the program it was) maps most of the same frames at the same
// addresses (image_pages.h: a program's read-only pages are shared frames), and a
// mapping kept is a CK_UNLOAD_MAPPING and a CK_LOAD_MAPPING (or a fault) saved. Each
// holds a reference to its frame, so that the frame cannot be reused meanwhile.
struct KeptMappings {
  static constexpr uint32_t kMax = 128;  // more are unloaded at once, as before
  uint32_t count = 0;
  uint32_t va[kMax];
  uint32_t frame[kMax];
};

// Drops every page and region of `p`, and the Cache Kernel's mappings of them but for the
// read-only ones it puts in *kept (each with its page's reference to its frame), which
// settle_kept_mappings decides about once the new image's regions are there. Until then
// `p`'s page map does not claim them: nothing between the two asks the Cache Kernel
// about those pages.
void drop_image(Process& p, KeptMappings* kept);

// For each mapping drop_image kept: it stays when the new image has the same frame at
// that address and would map it read-only (what its fault would load, recorded in the
// page map as loaded), else it is unloaded (`keep` false: all are, the new image being
// unusable); then the kept references go.
void settle_kept_mappings(Process& p, KeptMappings& kept, bool keep);

// Loads into `p`'s space (when it has one) the mappings of the pages its new program
// surely touches first, before its thread resumes at `pc` with stack pointer `sp`: the
// entry's page and the initial stack's (each a fault otherwise: the forward, the
// handler, CK_LOAD_MAPPING_RESUME). A load the Cache Kernel refuses is left to the fault.
void preload_image(Process& p, uint32_t pc, uint32_t sp);

}  // namespace unixemu
