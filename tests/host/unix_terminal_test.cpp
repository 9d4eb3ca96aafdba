// The console's line discipline (ak-unix/terminal.h): canonical editing and its echo,
// the signal characters, ends of file, raw mode, termios bytes, as Linux's n_tty does.
#include "terminal.h"

#include <gtest/gtest.h>

#include <string>

namespace unixemu {
namespace {

std::string g_echo;
void record(const char* text, uint32_t bytes) { g_echo.append(text, bytes); }

struct Tty {
  LineDiscipline ld{record};
  Tty() { g_echo.clear(); }
  std::vector<uint32_t> type(const std::string& text) {
    std::vector<uint32_t> signals;
    for (char c : text)
      if (const uint32_t s = ld.receive(c); s != 0) signals.push_back(s);
    return signals;
  }
  // One read of up to `count` bytes; "<wait>" when it would block.
  std::string read(uint32_t count = 100) {
    char out[4096];
    uint32_t n = 0;
    if (!ld.take(out, count, &n)) return "<wait>";
    return std::string(out, n);
  }
};

TEST(UnixTerminal, CanonicalLinesWithEcho) {
  Tty t;
  t.type("echo hi");
  EXPECT_FALSE(t.ld.readable());
  EXPECT_EQ(t.read(), "<wait>");
  t.type("\r");  // ICRNL
  EXPECT_TRUE(t.ld.readable());
  EXPECT_EQ(g_echo, "echo hi\n");
  t.type("second\n");
  EXPECT_EQ(t.read(3), "ech");  // a short read leaves the rest of the line
  EXPECT_EQ(t.read(), "o hi\n");
  EXPECT_EQ(t.read(), "second\n");  // one line per read
  EXPECT_EQ(t.read(), "<wait>");
}

TEST(UnixTerminal, EraseWordEraseAndKill) {
  Tty t;
  t.type(
      "abc\x7f\x7f"
      "d");
  EXPECT_EQ(g_echo, "abc\b \b\b \bd");
  t.type(" two words\x17");  // ^W takes "words"
  t.type("\x17");            // and then "two " ("two" and the blank before "words")
  t.type("x\n");
  EXPECT_EQ(t.read(), "ad x\n");
  g_echo.clear();
  t.type("junk\x15ok\n");  // ^U kills the line
  EXPECT_EQ(t.read(), "ok\n");
  EXPECT_EQ(g_echo, "junk\b \b\b \b\b \b\b \bok\n");
  t.type("\x7f\x7f\n");  // erase at the start of a line does nothing
  EXPECT_EQ(t.read(), "\n");
}

TEST(UnixTerminal, EndOfFile) {
  Tty t;
  t.type("\x04");  // ^D on an empty line: a read returns 0 once
  EXPECT_EQ(t.read(), "");
  EXPECT_EQ(t.read(), "<wait>");
  t.type(
      "partial\x04"
      "next\n");  // ^D with text ends the line without a newline
  EXPECT_EQ(t.read(), "partial");
  EXPECT_EQ(t.read(), "next\n");
  t.type("a\n\x04");
  EXPECT_EQ(t.read(), "a\n");
  EXPECT_EQ(t.read(), "");                // the end of file after the line, not merged with it
  EXPECT_EQ(g_echo, "partialnext\na\n");  // ^D is not echoed
}

TEST(UnixTerminal, SignalCharactersFlushAndEcho) {
  Tty t;
  t.type("ready\nhalf typed");
  EXPECT_EQ(t.type("\x03"), std::vector<uint32_t>{tty::kSIGINT});
  EXPECT_EQ(t.read(), "<wait>");  // both the complete and the half line are gone
  EXPECT_TRUE(g_echo.ends_with("half typed^C"));
  EXPECT_EQ(t.type("\x1c"), std::vector<uint32_t>{tty::kSIGQUIT});
  EXPECT_EQ(t.type("\x1a"), std::vector<uint32_t>{tty::kSIGTSTP});
  // Without ISIG they are ordinary characters.
  Termios raw = t.ld.termios();
  raw.lflag &= ~tty::kISIG;
  t.ld.set_termios(raw);
  EXPECT_TRUE(t.type("\x03\n").empty());
  EXPECT_EQ(t.read(), "\x03\n");
  // NOFLSH keeps the input.
  raw.lflag |= tty::kISIG | tty::kNOFLSH;
  t.ld.set_termios(raw);
  t.type("kept\n\x03");
  EXPECT_EQ(t.read(), "kept\n");
}

TEST(UnixTerminal, LiteralNextAndControlEcho) {
  Tty t;
  t.type("\x16\x03\n");  // ^V ^C: a literal ^C, no signal
  EXPECT_EQ(t.read(), "\x03\n");
  EXPECT_EQ(g_echo, "^\b^C\n");
  g_echo.clear();
  t.type("\x01\n");  // control characters echo as ^X with ECHOCTL
  EXPECT_EQ(g_echo, "^A\n");
  g_echo.clear();
  t.type("\x01\x7f\n");  // and erase over two columns
  EXPECT_EQ(g_echo, "^A\b \b\b \b\n");
}

TEST(UnixTerminal, RawModeAndNoEcho) {
  Tty t;
  Termios raw = t.ld.termios();
  raw.lflag &= ~(tty::kICANON | tty::kECHO);
  raw.cc[tty::kVMIN] = 1;
  t.type("typed before");  // the line being edited becomes input
  g_echo.clear();
  t.ld.set_termios(raw);
  EXPECT_EQ(t.read(), "typed before");
  EXPECT_EQ(t.read(), "<wait>");
  t.type("a\x7f");  // no editing, no echo: every byte is input
  EXPECT_EQ(t.ld.available(), 2u);
  EXPECT_EQ(t.read(1), "a");
  EXPECT_EQ(t.read(), "\x7f");
  EXPECT_EQ(g_echo, "");
  raw.cc[tty::kVMIN] = 0;  // VMIN 0: a read returns at once, with 0 bytes if none
  t.ld.set_termios(raw);
  EXPECT_EQ(t.read(), "");
  // Back to canonical: what was typed raw stays readable.
  t.type("xy");
  t.ld.set_termios(default_termios());
  EXPECT_EQ(t.read(), "xy");
}

TEST(UnixTerminal, TermiosBytesRoundTrip) {
  uint8_t bytes[36];
  const Termios d = default_termios();
  termios_to_bytes(d, bytes);
  EXPECT_EQ(bytes[3], 0x00);
  EXPECT_EQ(bytes[2], 0x25);      // c_iflag 0x2500: ICRNL IXON IMAXBEL
  EXPECT_EQ(bytes[15], 0x3b);     // c_lflag 0105073's low byte
  EXPECT_EQ(bytes[17], 3);        // VINTR ^C
  EXPECT_EQ(bytes[17 + 2], 127);  // VERASE DEL
  const Termios back = termios_from_bytes(bytes);
  EXPECT_EQ(back.lflag, d.lflag);
  EXPECT_EQ(back.iflag, d.iflag);
  EXPECT_EQ(back.cc[tty::kVWERASE], 23);
}

TEST(UnixTerminal, FullBufferDropsInsteadOfOverflowing) {
  Tty t;
  for (int i = 0; i < 200; ++i) t.type("a line nobody reads, forty bytes long..\n");
  uint32_t total = 0;
  for (std::string s = t.read(); s != "<wait>"; s = t.read()) total += static_cast<uint32_t>(s.size());
  EXPECT_LE(total, 4096u);
  EXPECT_GT(total, 0u);
  t.type("then a fresh line\n");
  EXPECT_EQ(t.read(), "then a fresh line\n");
}

}  // namespace
}  // namespace unixemu
