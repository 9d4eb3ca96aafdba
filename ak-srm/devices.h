// The SRM's devices (paper §2.2): the console, the clock and the disk, reached through
// the Cache Kernel's device pages in its memory (ck_boot_info), mapped in message mode
// with the SRM's thread as their signal thread.
#pragma once

#include "libak.h"

namespace srm {

using ck::StrView;

// Maps the device pages; false when one cannot be mapped.
bool map_devices(const ck_boot_info& info);

// Console output, a line at a time, through the transmit page.
extern ak::LineSink g_console;
template <typename... Args>
void say(StrView fmt, const Args&... args) {
  ck::format(g_console, fmt, args...);
  g_console.flush();
}

// The next complete line typed on the console (echoed as it comes), or false when no
// whole line is there yet. The line stays valid until the next call.
bool read_line(StrView* line);

// The console's receive ring (what was typed and not read yet).
ck_console_rx& console_input();

// Nanoseconds since boot, from the clock page.
uint64_t now_ns();

// The disk: 512-byte sectors; a page (8 sectors) per transfer, to and from `page`.
uint32_t disk_sectors();
int32_t disk_write(uint32_t sector, const void* page);
int32_t disk_read(uint32_t sector, void* page);

// Signals on these addresses come from the devices (the SRM waits for any signal).
bool is_device_signal(uint32_t address);

}  // namespace srm
