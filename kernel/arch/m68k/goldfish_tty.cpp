// Console driver for the goldfish TTY (see goldfish_tty.h).
#include "arch/m68k/goldfish_tty.h"

#include "arch/m68k/mmu.h"

namespace ck::m68k {

namespace {

enum Register : u32 {
  kPutChar = 0x00,
  kBytesReady = 0x04,
  kCommand = 0x08,
  kDataPtr = 0x10,
  kDataLen = 0x14,
};

enum Command : u32 { kInterruptEnable = 1, kReadBuffer = 3 };

}  // namespace

void GoldfishTty::put(char c) {
  if (!attached()) return;
  if (c == '\n') regs_.write(kPutChar, '\r');
  regs_.write(kPutChar, static_cast<u8>(c));
}

int GoldfishTty::poll() {
  u8 byte = 0;
  return read_available(&byte, 1) == 1 ? byte : -1;
}

u32 GoldfishTty::read_available(u8* out, u32 max) {
  if (!attached()) return 0;
  const u32 ready = regs_.read(kBytesReady);
  u32 count = ready < max ? ready : max;
  if (count > kDmaBytes) count = kDmaBytes;
  if (count == 0) return 0;
  // The device writes memory by physical address (kernel addresses are physical),
  // behind the data cache: push the buffer's lines out first so that the reads below
  // miss and see what the device wrote.
  const PhysAddr buffer(static_cast<u32>(reinterpret_cast<usize>(dma_)));
  push_data_cache(buffer, count);
  regs_.write(kDataPtr, buffer.value());
  regs_.write(kDataLen, count);
  regs_.write(kCommand, kReadBuffer);
  asm volatile("" : : : "memory");  // the device has written dma_: read it afresh
  for (u32 i = 0; i < count; ++i) out[i] = dma_[i];
  return count;
}

void GoldfishTty::enable_interrupt() const {
  if (attached()) regs_.write(kCommand, kInterruptEnable);
}

}  // namespace ck::m68k
