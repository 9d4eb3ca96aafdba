// The sigreturn trampolines in a page of their own (issue 18 item 11). A handler returns
// through its frame's pretcode; Linux/m68k points it at the frame's retcode, two
// instructions on the user stack, which every delivery must then make visible to
// instruction fetches (the 68040's caches do not snoop: a CK_SYNC_CODE of the stack's
// page, some 280 instructions of each signal). Here pretcode points at the same
// instructions in one read-only page at kAddress, filled and synced once, as qemu-m68k's
// user mode does it (setup_sigtramp); the frame's retcode is still written, byte for byte
// as Linux's, so what looks for the trampoline's words at the return address (libgcc's
// unwinder) finds them, and what reads the frame finds Linux's layout. The page also
// holds the entry stubs a handler is entered through when its frame's FPU registers
// were not read (a signal acted on in place: the FPU is the thread's own, live, so user
// code stores it, where a CK_EXCEPTION_FPU call was some 400 instructions).
//
// The page lies above every address a program can map (linux_abi::kStackTop), so the
// page map does not hold it and no region covers it: an instruction fetch's or a read's
// fault there loads it read-only once the first signal made it (handler.cpp's
// page_fault), and the mapping may stay in a space across a fork, an exec and a
// process's end (the same frame in every space, never written, never freed). A write
// there is SIGSEGV; a system call's pointer there is EFAULT, as above kStackTop on Linux.
#pragma once

#include <stdint.h>

#include "linux_abi.h"
#include "signal_frame.h"

namespace unixemu::sigreturn_page {

inline constexpr uint32_t kAddress = linux_abi::kStackTop;

// Where a handler of a plain (rt false) or rt frame returns to: in the page, made (a
// frame filled and synced) at the first call. 0 when no frame could be had: the frame's
// own retcode then, synced, as Linux's.
uint32_t trampoline(bool rt);

// Where a handler is entered through the page's entry stub (signal_frame.h's
// entry_offset: the frame's FPU registers stored in user mode); valid once trampoline
// has answered nonzero.
inline uint32_t entry(bool rt) { return kAddress + signal_frame::entry_offset(rt); }

// The page's frame, once made: a fault at kAddress maps it read-only.
bool frame(uint32_t* pa);

}  // namespace unixemu::sigreturn_page
