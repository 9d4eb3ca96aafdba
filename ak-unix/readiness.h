// What an open file is ready for, as Linux's poll methods report it (issue 18 item 4:
// poll and select over pipes, files and the terminal), in the user's poll bits
// (Linux/m68k: POLLWRNORM is POLLOUT). Regular files, directories, /proc's files,
// /dev/null and /dev/zero are always ready (Linux's DEFAULT_POLLMASK); a pipe's read end
// when it holds bytes, hung up (POLLHUP) once no writer is left; its write end when a
// PIPE_BUF write fits, in error (POLLERR) once no reader is left; the console readable
// when a line (or an end of file) is there, always writable.
#pragma once

#include <stdint.h>

#include "files.h"

namespace unixemu {

inline constexpr uint32_t kPOLLIN = 0x1, kPOLLPRI = 0x2, kPOLLOUT = 0x4, kPOLLERR = 0x8, kPOLLHUP = 0x10,
                          kPOLLNVAL = 0x20, kPOLLRDNORM = 0x40, kPOLLRDBAND = 0x80, kPOLLWRBAND = 0x100;

uint32_t readiness(const OpenFile& f);

}  // namespace unixemu
