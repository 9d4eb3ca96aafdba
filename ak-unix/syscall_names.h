// The name of a Linux/m68k system call number, for log lines; "?" when it has none.
#pragma once

#include <stdint.h>

namespace unixemu {

const char* syscall_name(uint32_t number);

}  // namespace unixemu
