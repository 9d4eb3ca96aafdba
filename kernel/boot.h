// Portable boot: what the kernel does once the machine layer has a console and the
// boot facts (kernel_boot), and what runs after it (kernel_main).
#pragma once

#include "boot_memory.h"
#include "lib/cmdline.h"
#include "lib/format.h"

namespace ck {

// Called by the machine layer once the console works and arch::platform() is filled.
// `command_line_truncated` reports a command line longer than the kernel keeps.
[[noreturn]] void kernel_boot(bool command_line_truncated);

// What runs after boot: the monitor in the kernel image (monitor.cpp), the test runner
// in a guest test image (tests/guest/ktest.cpp).
[[noreturn]] void kernel_main();

const CommandLine& command_line();

// Physical memory not taken by the kernel at boot.
BootMemory& boot_memory();

// The boot banner: CPU, devices, memory, image layout, command line.
void print_banner(Sink& out);

}  // namespace ck
