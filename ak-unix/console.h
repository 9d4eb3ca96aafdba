// The console as the emulator's processes see it (fds 0, 1 and 2 of the first process):
// output goes to the machine console through the Cache Kernel's console call; input is
// issue 17's next step (reads end of file until then).
#pragma once

#include <stdint.h>

namespace unixemu {

void console_write(const char* text, uint32_t bytes);
// The last byte written (the test runner starts its end marker on a line of its own).
char console_last_byte();

}  // namespace unixemu
