// The console's line discipline (terminal.h), after Linux 6.1's drivers/tty/n_tty.c.
#include "terminal.h"

namespace unixemu {

using namespace tty;

Termios default_termios() {
  Termios t;
  t.iflag = kICRNL | kIXON | kIMAXBEL;
  t.oflag = kOPOST | kONLCR;
  t.cflag = 0277;  // B38400 | CS8 | CREAD
  t.lflag = kISIG | kICANON | kECHO | kECHOE | kECHOK | kECHOCTL | kECHOKE | kIEXTEN;
  const uint8_t control[] = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
  for (uint32_t i = 0; i < sizeof control; ++i) t.cc[i] = control[i];
  return t;
}

namespace {
void put_be32(uint8_t* at, uint32_t v) {
  at[0] = static_cast<uint8_t>(v >> 24);
  at[1] = static_cast<uint8_t>(v >> 16);
  at[2] = static_cast<uint8_t>(v >> 8);
  at[3] = static_cast<uint8_t>(v);
}
uint32_t get_be32(const uint8_t* at) {
  return static_cast<uint32_t>(at[0]) << 24 | static_cast<uint32_t>(at[1]) << 16 | static_cast<uint32_t>(at[2]) << 8 |
         at[3];
}
bool blank(char c) { return c == ' ' || c == '\t'; }
}  // namespace

void termios_to_bytes(const Termios& t, uint8_t out[36]) {
  put_be32(out, t.iflag);
  put_be32(out + 4, t.oflag);
  put_be32(out + 8, t.cflag);
  put_be32(out + 12, t.lflag);
  out[16] = t.line;
  for (uint32_t i = 0; i < sizeof t.cc; ++i) out[17 + i] = t.cc[i];
}

Termios termios_from_bytes(const uint8_t in[36]) {
  Termios t;
  t.iflag = get_be32(in);
  t.oflag = get_be32(in + 4);
  t.cflag = get_be32(in + 8);
  t.lflag = get_be32(in + 12);
  t.line = in[16];
  for (uint32_t i = 0; i < sizeof t.cc; ++i) t.cc[i] = in[17 + i];
  return t;
}

void LineDiscipline::echo_char(char c) {
  if (!echoing(kECHO)) return;
  const uint8_t u = static_cast<uint8_t>(c);
  if (echoing(kECHOCTL) && (u < ' ' || u == 0x7f) && c != '\t' && c != '\n') {
    const char shown[2] = {'^', static_cast<char>(u ^ 0x40)};
    echo_(shown, 2);
  } else {
    echo_(&c, 1);
  }
}

void LineDiscipline::erase_one() {
  if (editing_bytes_ == 0) return;
  const uint8_t u = static_cast<uint8_t>(editing_[--editing_bytes_]);
  if (!echoing(kECHO)) return;
  if (!echoing(kECHOE)) {
    echo_char(static_cast<char>(termios_.cc[kVERASE]));
    return;
  }
  // A control character was shown as two columns (^X).
  const uint32_t columns = echoing(kECHOCTL) && (u < ' ' || u == 0x7f) && u != '\t' ? 2 : 1;
  for (uint32_t i = 0; i < columns; ++i) echo_("\b \b", 3);
}

void LineDiscipline::append_ready(const char* text, uint32_t bytes) {
  for (uint32_t i = 0; i < bytes && ready_bytes_ < kReadyBytes; ++i) ready_[ready_bytes_++] = text[i];
}

void LineDiscipline::finish_line(bool newline) {
  // With no room for the line (nobody reads), it is dropped, as n_tty drops input
  // beyond its buffer.
  if (lines_ == kMaxLines || ready_bytes_ + editing_bytes_ + (newline ? 1 : 0) > kReadyBytes) {
    editing_bytes_ = 0;
    return;
  }
  append_ready(editing_, editing_bytes_);
  if (newline) append_ready("\n", 1);
  line_ends_[lines_++] = ready_bytes_;
  editing_bytes_ = 0;
}

uint32_t LineDiscipline::receive(char c) {
  if (literal_next_) {
    literal_next_ = false;
  } else {
    if ((termios_.iflag & kIGNCR) != 0 && c == '\r') return 0;
    if ((termios_.iflag & kICRNL) != 0 && c == '\r')
      c = '\n';
    else if ((termios_.iflag & kINLCR) != 0 && c == '\n')
      c = '\r';
    if ((termios_.lflag & kISIG) != 0) {
      const uint32_t signal = is(c, kVINTR) ? kSIGINT : is(c, kVQUIT) ? kSIGQUIT : is(c, kVSUSP) ? kSIGTSTP : 0;
      if (signal != 0) {
        if ((termios_.lflag & kNOFLSH) == 0) flush_input();
        echo_char(c);
        return signal;
      }
    }
    if (canonical()) {
      const bool extended = (termios_.lflag & kIEXTEN) != 0;
      if (is(c, kVERASE) || (c == '\b' && termios_.cc[kVERASE] == 0x7f)) {  // ^H erases too
        erase_one();
        return 0;
      }
      if (extended && is(c, kVWERASE)) {
        while (editing_bytes_ > 0 && blank(editing_[editing_bytes_ - 1])) erase_one();
        while (editing_bytes_ > 0 && !blank(editing_[editing_bytes_ - 1])) erase_one();
        return 0;
      }
      if (is(c, kVKILL)) {
        if (echoing(kECHOKE) && echoing(kECHOE)) {
          while (editing_bytes_ > 0) erase_one();
        } else {
          editing_bytes_ = 0;
          echo_char(c);
          if (echoing(kECHOK)) echo_("\n", 1);
        }
        return 0;
      }
      if (extended && is(c, kVREPRINT)) {
        echo_char(c);
        echo_("\n", 1);
        if (echoing(kECHO)) echo_(editing_, editing_bytes_);
        return 0;
      }
      if (extended && is(c, kVLNEXT)) {
        literal_next_ = true;
        if (echoing(kECHO)) echo_("^\b", 2);  // n_tty's mark, written over by the next byte
        return 0;
      }
      if (is(c, kVEOF)) {
        finish_line(false);  // an empty one is the end of file
        return 0;
      }
      if (c == '\n' || is(c, kVEOL) || is(c, kVEOL2)) {
        if (echoing(kECHO) || (c == '\n' && echoing(kECHONL))) echo_("\n", 1);
        finish_line(c == '\n');
        if (c != '\n') {  // VEOL ends the line and is part of it
          if (lines_ > 0 && ready_bytes_ < kReadyBytes) {
            ready_[ready_bytes_++] = c;
            line_ends_[lines_ - 1] = ready_bytes_;
          }
        }
        return 0;
      }
    }
  }
  if (canonical()) {
    if (editing_bytes_ < kLineBytes) {
      editing_[editing_bytes_++] = c;
      echo_char(c);
    }
  } else if (ready_bytes_ < kReadyBytes) {
    ready_[ready_bytes_++] = c;
    echo_char(c);
  }
  return 0;
}

bool LineDiscipline::readable() const {
  if (canonical()) return lines_ > 0;
  const uint32_t minimum = termios_.cc[kVMIN];
  return ready_bytes_ >= (minimum == 0 ? 0u : 1u);  // VMIN > 1 is met by the first byte here
}

uint32_t LineDiscipline::available() const { return canonical() ? (lines_ > 0 ? line_ends_[0] : 0) : ready_bytes_; }

bool LineDiscipline::take(char* out, uint32_t count, uint32_t* n) {
  if (!readable()) return false;
  uint32_t limit = canonical() ? line_ends_[0] : ready_bytes_;
  const uint32_t took = limit < count ? limit : count;
  for (uint32_t i = 0; i < took; ++i) out[i] = ready_[i];
  for (uint32_t i = took; i < ready_bytes_; ++i) ready_[i - took] = ready_[i];
  ready_bytes_ -= took;
  // Line ends move down with the bytes; the first line is gone when all of it was read
  // (an empty line, the end of file, goes with a read of 0).
  uint32_t gone = 0;
  for (uint32_t i = 0; i < lines_; ++i) {
    line_ends_[i] -= took;
    if (line_ends_[i] == 0 && gone == i) gone = i + 1;
  }
  if (canonical() && gone > 1) gone = 1;  // one line, or one end of file, per read
  if (!canonical()) gone = lines_;        // raw mode keeps no lines
  for (uint32_t i = gone; i < lines_; ++i) line_ends_[i - gone] = line_ends_[i];
  lines_ -= gone;
  *n = took;
  return true;
}

void LineDiscipline::flush_input() {
  editing_bytes_ = 0;
  ready_bytes_ = 0;
  lines_ = 0;
  literal_next_ = false;
}

void LineDiscipline::set_termios(const Termios& t) {
  const bool was_canonical = canonical();
  termios_ = t;
  if (was_canonical && !canonical()) {  // the line being typed is input now
    append_ready(editing_, editing_bytes_);
    editing_bytes_ = 0;
    lines_ = 0;
  } else if (!was_canonical && canonical() && ready_bytes_ > 0) {
    // Raw input not read yet becomes one line (n_tty keeps it readable).
    if (lines_ < kMaxLines) line_ends_[lines_++] = ready_bytes_;
  }
}

}  // namespace unixemu
