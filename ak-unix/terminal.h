// The console's line discipline (issue 18 item 6; paper §2.3 leaves terminals to the
// emulator): Linux's n_tty for one terminal, as far as programs see it. Typed bytes are
// edited into lines in canonical mode (erase, word erase, kill, end of file, literal
// next, reprint) with echo, or passed on byte by byte in raw mode; the signal characters
// (^C, ^\, ^Z) name a signal for the foreground process group and flush the input. The
// termios settings are the program's (TCGETS/TCSETS), with Linux's console defaults.
// Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

// struct termios of asm-generic/termbits.h (36 bytes on m68k) and its bits.
struct Termios {
  uint32_t iflag = 0, oflag = 0, cflag = 0, lflag = 0;
  uint8_t line = 0;
  uint8_t cc[19] = {};
};
namespace tty {
inline constexpr uint32_t kIGNCR = 0200, kICRNL = 0400, kINLCR = 0100, kIXON = 02000, kIMAXBEL = 020000;
inline constexpr uint32_t kOPOST = 01, kONLCR = 04;
inline constexpr uint32_t kISIG = 01, kICANON = 02, kECHO = 010, kECHOE = 020, kECHOK = 040, kECHONL = 0100,
                          kNOFLSH = 0200, kECHOCTL = 01000, kECHOKE = 04000, kIEXTEN = 0100000;
enum Cc : uint8_t {
  kVINTR = 0,
  kVQUIT = 1,
  kVERASE = 2,
  kVKILL = 3,
  kVEOF = 4,
  kVTIME = 5,
  kVMIN = 6,
  kVSWTC = 7,
  kVSTART = 8,
  kVSTOP = 9,
  kVSUSP = 10,
  kVEOL = 11,
  kVREPRINT = 12,
  kVDISCARD = 13,
  kVWERASE = 14,
  kVLNEXT = 15,
  kVEOL2 = 16,
};
inline constexpr uint32_t kSIGINT = 2, kSIGQUIT = 3, kSIGTSTP = 20;
}  // namespace tty

// Linux's console at boot: canonical, echo, ISIG, ^C ^\ DEL ^U ^D ^Z ^R ^W ^V.
Termios default_termios();
// The 36 bytes of struct termios, big-endian, and back.
void termios_to_bytes(const Termios& t, uint8_t out[36]);
Termios termios_from_bytes(const uint8_t in[36]);

class LineDiscipline {
 public:
  // Where echo goes (the console).
  using Echo = void (*)(const char* text, uint32_t bytes);
  explicit LineDiscipline(Echo echo) : echo_(echo), termios_(default_termios()) {}

  // Takes a typed byte: the signal it raises for the foreground group (SIGINT, SIGQUIT,
  // SIGTSTP), else 0.
  uint32_t receive(char c);
  // A read would not wait: in canonical mode a whole line or an end of file is there; in
  // raw mode VMIN bytes (VMIN 0: always).
  bool readable() const;
  // A read's share: up to `count` bytes (canonical: of the first line, an end of file
  // giving *n == 0). False when it would wait.
  bool take(char* out, uint32_t count, uint32_t* n);
  // Bytes a read could take now (FIONREAD).
  uint32_t available() const;
  // Drops what was typed and not read (TCSETSF, TCFLSH, a signal character).
  void flush_input();

  const Termios& termios() const { return termios_; }
  // New settings (TCSETS*); leaving canonical mode passes the line being edited on.
  void set_termios(const Termios& t);

 private:
  bool canonical() const { return (termios_.lflag & tty::kICANON) != 0; }
  bool echoing(uint32_t bit) const { return (termios_.lflag & bit) != 0; }
  bool is(char c, tty::Cc which) const {
    return termios_.cc[which] != 0 && static_cast<uint8_t>(c) == termios_.cc[which];
  }
  void echo_char(char c);  // as ECHO/ECHOCTL show it
  void erase_one();        // the last byte of the line, on screen too
  void finish_line(bool newline);
  void append_ready(const char* text, uint32_t bytes);

  Echo echo_;
  Termios termios_;
  bool literal_next_ = false;
  static constexpr uint32_t kLineBytes = 4095;  // Linux's N_TTY_BUF_SIZE - 1
  char editing_[kLineBytes];
  uint32_t editing_bytes_ = 0;
  // Complete input not read yet, and in canonical mode where each of its lines ends
  // (offsets into ready_, ascending; a line ended by ^D has no newline, and an end of
  // file is an empty line: the read that meets it returns 0).
  static constexpr uint32_t kReadyBytes = 4096;
  char ready_[kReadyBytes];
  uint32_t ready_bytes_ = 0;
  static constexpr uint32_t kMaxLines = 64;
  uint32_t line_ends_[kMaxLines];
  uint32_t lines_ = 0;
};

}  // namespace unixemu
