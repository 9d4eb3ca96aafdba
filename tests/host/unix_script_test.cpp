// Interpreter scripts (ak-unix/script.h): the `#!` line as Linux 6.1's binfmt_script
// parses it, and the interpreter's argument vector.
#include "script.h"

#include <gtest/gtest.h>

#include <string.h>

#include <string>

namespace unixemu {
namespace {

struct Parsed {
  ScriptKind kind = ScriptKind::NotScript;
  std::string interpreter, argument;
  bool has_argument = false;
};

Parsed parse(const std::string& head) {
  static char buffer[kScriptHeadBytes + 1];
  InterpreterLine line;
  Parsed out;
  out.kind = parse_interpreter_line(reinterpret_cast<const uint8_t*>(head.data()), static_cast<uint32_t>(head.size()),
                                    buffer, &line);
  if (out.kind == ScriptKind::Script) {
    out.interpreter = line.interpreter;
    out.has_argument = line.argument != nullptr;
    if (out.has_argument) out.argument = line.argument;
  }
  return out;
}

TEST(UnixScript, RecognisesOnlyHashBang) {
  EXPECT_EQ(parse("\x7f"
                  "ELF")
                .kind,
            ScriptKind::NotScript);
  EXPECT_EQ(parse("").kind, ScriptKind::NotScript);
  EXPECT_EQ(parse("#").kind, ScriptKind::NotScript);
  EXPECT_EQ(parse("# !/bin/sh\n").kind, ScriptKind::NotScript);
  EXPECT_EQ(parse("echo hi\n").kind, ScriptKind::NotScript);
}

TEST(UnixScript, InterpreterAndOneArgument) {
  Parsed p = parse("#!/bin/sh\necho hi\n");
  ASSERT_EQ(p.kind, ScriptKind::Script);
  EXPECT_EQ(p.interpreter, "/bin/sh");
  EXPECT_FALSE(p.has_argument);

  p = parse("#!  /bin/sh   -e  \t\nrest");
  ASSERT_EQ(p.kind, ScriptKind::Script);
  EXPECT_EQ(p.interpreter, "/bin/sh");
  ASSERT_TRUE(p.has_argument);
  EXPECT_EQ(p.argument, "-e");

  // Everything after the name is one argument, inner blanks kept (Linux does not split).
  p = parse("#!/usr/bin/env sh -x\n");
  ASSERT_EQ(p.kind, ScriptKind::Script);
  EXPECT_EQ(p.interpreter, "/usr/bin/env");
  EXPECT_EQ(p.argument, "sh -x");

  // No newline at all: the file is the line.
  p = parse("#!/bin/sh");
  ASSERT_EQ(p.kind, ScriptKind::Script);
  EXPECT_EQ(p.interpreter, "/bin/sh");
}

TEST(UnixScript, MalformedLines) {
  EXPECT_EQ(parse("#!\n").kind, ScriptKind::Malformed);
  EXPECT_EQ(parse("#!   \t \necho").kind, ScriptKind::Malformed);
  // A name longer than the 256 bytes Linux reads, without a newline: cut off, refused.
  EXPECT_EQ(parse("#!/" + std::string(300, 'a')).kind, ScriptKind::Malformed);
  // A long argument cut off at 256 bytes is accepted (the name itself is whole).
  const Parsed p = parse("#!/bin/sh " + std::string(300, 'x'));
  ASSERT_EQ(p.kind, ScriptKind::Script);
  EXPECT_EQ(p.interpreter, "/bin/sh");
  EXPECT_EQ(p.argument.size(), kScriptHeadBytes - strlen("#!/bin/sh "));
}

TEST(UnixScript, ArgumentVector) {
  static char buffer[kScriptHeadBytes + 1];
  InterpreterLine line;
  const std::string head = "#!/bin/sh -e\n";
  ASSERT_EQ(parse_interpreter_line(reinterpret_cast<const uint8_t*>(head.data()), static_cast<uint32_t>(head.size()),
                                   buffer, &line),
            ScriptKind::Script);
  const char* argv[] = {"name-given", "one", "two"};
  const char* out[8];
  ASSERT_EQ(script_arguments(line, "/t/s.sh", argv, 3, out, 8), 5);
  EXPECT_STREQ(out[0], "/bin/sh");
  EXPECT_STREQ(out[1], "-e");
  EXPECT_STREQ(out[2], "/t/s.sh");  // the path, not argv[0]
  EXPECT_STREQ(out[3], "one");
  EXPECT_STREQ(out[4], "two");
  EXPECT_EQ(script_arguments(line, "/t/s.sh", argv, 3, out, 4), -1);  // no room: E2BIG
  // In place, as the emulator rewrites nested scripts.
  const char* inplace[8] = {"a", "b", "c"};
  ASSERT_EQ(script_arguments(line, "/x", inplace, 3, inplace, 8), 5);
  EXPECT_STREQ(inplace[2], "/x");
  EXPECT_STREQ(inplace[3], "b");
  EXPECT_STREQ(inplace[4], "c");
  // An empty argv (execve(path, NULL, ...)): the interpreter gets the path.
  ASSERT_EQ(script_arguments(line, "/x", nullptr, 0, out, 8), 3);
  EXPECT_STREQ(out[2], "/x");
}

}  // namespace
}  // namespace unixemu
