// The console as the emulator's processes see it (fds 0, 1 and 2 of the first process;
// paper §2.3). Output goes to the machine console through the Cache Kernel's console
// call. Input comes from the SRM: the emulator asks for the console by giving it a ring
// page of its own memory (ak-srm/console_focus.h); typed bytes pass through the line
// discipline (terminal.h; the process side, ioctl and the foreground group, is
// terminal_control.h) and a read in canonical mode gets a line. A read
// with no line yet blocks its process: its thread is unloaded from the Cache Kernel and
// loaded again when a line arrives (§2.3).
#pragma once

#include <stdint.h>

#include "libak.h"

namespace unixemu {

// The emulator's first thread writes to the console (its own lines, the test runner's
// markers, the echo of input): what processes queued goes out first.
void console_write(const char* text, uint32_t bytes);
// The last byte written (the test runner starts its end marker on a line of its own).
char console_last_byte();

// A process's output is queued, not written from its handler: a handler can be written
// back between any two instructions, and a write to the console cannot be undone or
// known to have happened. Queuing `bytes` (at most 256) counts them in *counted in the
// same instruction that makes them part of the queue (CAS2), so a system call made again
// after such a writeback knows what it already queued. False when the queue has no room
// or another process is queuing (wait and try again). `owner`: the process's slot + 1.
bool console_queue(uint32_t owner, const char* text, uint32_t bytes, volatile uint32_t* counted);
// Writes out what is queued: the first thread only (it is locked, never written back).
void console_flush();
// A process written back while queuing leaves the queue to others.
void console_abandon(uint32_t owner);

// Asks the SRM for the console's input; false when no page for the ring is left.
bool console_attach(const ck_boot_info& info);
bool console_attached();
// Takes what was typed through the line discipline (the first thread, every 10 ms): the
// signals typed for the foreground group, bit n for signal n.
uint32_t console_poll();
// A read's share of the input (terminal.h's take): true and up to `count` bytes in `out`
// (*n == 0: end of file); false when the read would wait. Without an attached console,
// end of file at once.
bool console_take(char* out, uint32_t count, uint32_t* n);
// True when a read would not wait: a line or an end of file is there (or no console is
// attached: reads find the end of file).
bool console_readable();
// The line discipline, for the terminal's ioctls.
class LineDiscipline;
LineDiscipline& console_line();

}  // namespace unixemu
