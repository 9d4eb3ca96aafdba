// Interpreter scripts (`#!`), as Linux's binfmt_script (fs/binfmt_script.c) runs them:
// a file whose first bytes are "#!" names its interpreter and at most one argument on
// its first line; execve runs the interpreter with argv = [interpreter, argument (if
// any), the script's path, the old argv[1..]]. Paper §2: program loading is the
// emulator's business. Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

// Linux reads this much of a file to recognise it (BINPRM_BUF_SIZE).
constexpr uint32_t kScriptHeadBytes = 256;

enum class ScriptKind : uint8_t {
  NotScript,  // no "#!": an ELF file or nothing runnable
  Script,     // an interpreter line, parsed
  Malformed,  // "#!" without an interpreter, or a name cut off by the 256-byte limit: ENOEXEC
};

struct InterpreterLine {
  // NUL-terminated, in the caller's buffer.
  const char* interpreter = nullptr;
  const char* argument = nullptr;  // nullptr when there is none
};

// Parses the first `bytes` bytes of a file. The strings are written into `buffer` (at
// least kScriptHeadBytes + 1 bytes).
ScriptKind parse_interpreter_line(const uint8_t* head, uint32_t bytes, char* buffer, InterpreterLine* line);

// The interpreter's argument vector for `script_path` run with `argv` (argc >= 0):
// writes at most `capacity` pointers to `out`; the new count, or -1 when it does not fit.
int32_t script_arguments(const InterpreterLine& line, const char* script_path, const char* const* argv, uint32_t argc,
                         const char** out, uint32_t capacity);

}  // namespace unixemu
