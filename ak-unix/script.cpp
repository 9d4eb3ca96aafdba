// Interpreter scripts (script.h), following Linux 6.1's load_script().
#include "script.h"

#include <string.h>

namespace unixemu {
namespace {

bool space_or_tab(char c) { return c == ' ' || c == '\t'; }
bool terminator(char c) { return c == ' ' || c == '\t' || c == '\0'; }

}  // namespace

ScriptKind parse_interpreter_line(const uint8_t* head, uint32_t bytes, char* buffer, InterpreterLine* line) {
  if (bytes < 2 || head[0] != '#' || head[1] != '!') return ScriptKind::NotScript;
  if (bytes > kScriptHeadBytes) bytes = kScriptHeadBytes;
  memcpy(buffer, head, bytes);
  buffer[bytes] = '\0';
  const char* end = buffer;
  while (end < buffer + bytes && *end != '\n') ++end;
  if (end == buffer + bytes) {
    // No newline in the first 256 bytes: Linux accepts the line only if the
    // interpreter's name ends within it (what follows may be a cut-off argument).
    const char* name = buffer + 2;
    const char* limit = buffer + bytes;
    while (name < limit && space_or_tab(*name)) ++name;
    if (name == limit) return ScriptKind::Malformed;
    const char* after = name;
    while (after < limit && !terminator(*after)) ++after;
    // A file shorter than the buffer ends the name (Linux's buffer is zero-padded).
    if (after == limit && bytes == kScriptHeadBytes) return ScriptKind::Malformed;
    end = limit;
  }
  char* stop = buffer + (end - buffer);
  while (stop > buffer + 2 && space_or_tab(stop[-1])) --stop;
  *stop = '\0';
  char* name = buffer + 2;
  while (name < stop && space_or_tab(*name)) ++name;
  if (name == stop) return ScriptKind::Malformed;
  char* separator = name;
  while (!terminator(*separator)) ++separator;
  line->interpreter = name;
  line->argument = nullptr;
  if (*separator != '\0') {
    *separator = '\0';
    char* argument = separator + 1;
    while (argument < stop && space_or_tab(*argument)) ++argument;
    if (argument < stop) line->argument = argument;  // the rest of the line, spaces and all
  }
  return ScriptKind::Script;
}

int32_t script_arguments(const InterpreterLine& line, const char* script_path, const char* const* argv, uint32_t argc,
                         const char** out, uint32_t capacity) {
  const uint32_t kept = argc > 0 ? argc - 1 : 0;  // argv[0] is replaced
  const uint32_t count = (line.argument != nullptr ? 3 : 2) + kept;
  if (count > capacity) return -1;
  uint32_t n = 0;
  // Built from the end: `argv` may share `out`'s storage.
  for (uint32_t i = kept; i > 0; --i) out[count - 1 - (kept - i)] = argv[i];
  out[n++] = line.interpreter;
  if (line.argument != nullptr) out[n++] = line.argument;
  out[n++] = script_path;
  return static_cast<int32_t>(count);
}

}  // namespace unixemu
