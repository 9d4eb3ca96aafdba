// The way down (see way_down.h).
#include "arch/m68k/way_down.h"

namespace ck::m68k {

namespace {

struct WayDown {
  u32 console;
  u32 ctrl;
  bool in_fatal;
};

// Zeroed by start.S with the rest of .bss; above the boot stack (linker/virt.ld).
[[gnu::section(".way_down")]] WayDown g_way;

constexpr u32 kPutChar = 0x00;  // goldfish TTY: write a character

void put_raw(char c) {
  *reinterpret_cast<volatile u32*>(static_cast<usize>(g_way.console + kPutChar)) = static_cast<u8>(c);
}

}  // namespace

void init_way_down(PhysAddr console, PhysAddr ctrl) {
  g_way.console = console.value();
  g_way.ctrl = ctrl.value();
}

void FatalConsole::put(char c) {
  if (g_way.console == 0) return;
  // Terminals in raw mode need the carriage return (as GoldfishTty::put).
  if (c == '\n') put_raw('\r');
  put_raw(c);
}

VirtCtrl way_down_ctrl() {
  VirtCtrl ctrl;
  if (g_way.ctrl != 0) ctrl.attach(PhysAddr(g_way.ctrl));
  return ctrl;
}

bool enter_fatal() {
  if (g_way.in_fatal) return false;
  g_way.in_fatal = true;
  return true;
}

}  // namespace ck::m68k
