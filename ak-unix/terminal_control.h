// The console as a controlling terminal (issue 18 item 6; paper §2.3 leaves terminals to
// the emulator): the session it belongs to, its foreground process group (which the
// signal characters reach, and which job control moves with tcsetpgrp), its window size,
// and the ioctls programs make on it. The line discipline itself is terminal.h's.
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// The console becomes the controlling terminal of `p`'s session, `p`'s group in the
// foreground (the first process started on the console).
void terminal_attach(const Process& p);
// Sends each signal in `raised` (bit n: signal n, typed ^C ^\ ^Z) to every process of
// the foreground group.
void signal_foreground(uint32_t raised);
// ioctl(fd, request, arg) on the console: 0 or a value, or error(-errno): TCGETS,
// TCSETS/TCSETSW/TCSETSF, TCFLSH, TIOCGPGRP/TIOCSPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY,
// TIOCGWINSZ/TIOCSWINSZ, FIONREAD; ENOTTY for anything else.
uint32_t terminal_ioctl(Process& p, uint32_t request, uint32_t arg);

}  // namespace unixemu
