// The machine this build is for: the one place a port names its arch/<machine>/ folder.
// The portable kernel reaches the machine only through arch/arch.h, which takes from
// here the few machine types it stores by value (a thread's register save area, the
// result of a page-table operation). A second board adds its folder and changes this.
#pragma once

#include "arch/m68k/page_table.h"
#include "arch/m68k/user_context.h"
// The offsets of the portable kernel's objects the machine's entry path changes itself
// (arch::FastPathLinks), checked by the portable kernel (fast_path_layout.cpp).
#include "arch/m68k/fast_path_layout.h"
