// Console driver for the goldfish TTY (see goldfish_tty.h).
#include "arch/m68k/goldfish_tty.h"

namespace ck::m68k {

namespace {

enum Register : u32 {
  kPutChar = 0x00,
  kBytesReady = 0x04,
  kCommand = 0x08,
  kDataPtr = 0x10,
  kDataLen = 0x14,
};

enum Command : u32 { kReadBuffer = 3 };

}  // namespace

void GoldfishTty::put(char c) {
  if (!attached()) return;
  if (c == '\n') regs_.write(kPutChar, '\r');
  regs_.write(kPutChar, static_cast<u8>(c));
}

int GoldfishTty::poll() {
  if (!attached() || regs_.read(kBytesReady) == 0) return -1;
  // The device copies into memory by physical address; kernel addresses are physical.
  volatile u8 byte = 0;
  regs_.write(kDataPtr, static_cast<u32>(reinterpret_cast<usize>(&byte)));
  regs_.write(kDataLen, 1);
  regs_.write(kCommand, kReadBuffer);
  return byte;
}

}  // namespace ck::m68k
