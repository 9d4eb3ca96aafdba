// The narrow interface between the portable Cache Kernel and its machine. The portable
// kernel includes this header and nothing under arch/<machine>/.
#pragma once

#include "lib/format.h"
#include "lib/types.h"

namespace ck::arch {

inline constexpr usize kMaxMemoryRanges = 4;

// Where the kernel image sits in memory, from the linker script.
struct ImageLayout {
  PhysAddr vectors;
  PhysAddr text_start, text_end;  // code and read-only data
  PhysAddr data_start, data_end;
  PhysAddr bss_start, bss_end;
  PhysAddr boot_stack_bottom, boot_stack_top;
  PhysAddr end;
};

// What the boot loader told us about the machine.
struct Platform {
  PhysRange memory[kMaxMemoryRanges];
  usize memory_count = 0;
  StrView command_line;

  u32 ram_bytes() const {
    u32 total = 0;
    for (usize i = 0; i < memory_count; ++i) total += memory[i].size;
    return total;
  }
};

const Platform& platform();
ImageLayout image_layout();

// Writes the machine-specific banner lines (CPU, devices) to `out`.
void describe_machine(Sink& out);

// The console: synchronous, polled output usable from any context, including fatal paths.
Sink& console();
// The next received console character, or -1 when none is waiting.
int console_poll();

// Ends the run. On QEMU: power_off exits with status 0, fatal_stop with a failure
// status (with -action panic=exit-failure), reboot restarts the machine.
[[noreturn]] void power_off();
[[noreturn]] void fatal_stop();
[[noreturn]] void reboot();

// Prints `message`, the current stack and registers, then fatal_stop().
[[noreturn]] void panic_stop(StrView message);

// Executes an illegal instruction (the monitor's `crash` command shows the fatal report).
void execute_illegal_instruction();

}  // namespace ck::arch
