// Who the console's input is for (paper §2.2, §3): the SRM's command line, or one
// application kernel that asked for it. A kernel asks by writing into its boot info's
// console_rx the physical address of a page of its own memory laid out as ck_console_rx;
// the newest kernel to ask gets the console, and the SRM then appends what is typed to
// that ring (the kernel reads it and moves tail). Ctrl-] takes the console back to the
// SRM at any time; `console N` gives it to kernel N again.
#pragma once

#include <stdint.h>

namespace srm {

inline constexpr char kConsoleEscape = 0x1d;  // Ctrl-]

// Notices kernels that asked for the console (the newest gets it) and kernels that
// ended (the console comes back to the SRM). From the SRM's periodic pass.
void console_pass();
// True while typed input goes to a kernel rather than to the SRM's command line.
bool console_given();
// Moves what was typed to the kernel that has the console (Ctrl-] takes it back).
void forward_console_input();
// `console N`: the console to kernel N (it must have asked); false when it cannot.
bool give_console(uint32_t number);

}  // namespace srm
