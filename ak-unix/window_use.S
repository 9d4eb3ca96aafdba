/* The memory window's slow path (physical_memory.h, issue 17): Memory::at() calls
 * unix_window_use with the frame address in d0 when the window may lack the page, from
 * inline code that keeps its values in registers across the call. So the call keeps
 * every register: the C calling convention's scratch registers (d0-d1/a0-a1) are saved
 * here around the C++ path, unixemu_window_use(pa). The FPU's are not: the emulator's
 * handler uses no FPU instruction (kAkHandlerNoFpu; `cargo xtask test` checks it), so
 * they hold the process's values, which no code here changes. */
    .chip   68040
    .text
    .globl  unix_window_use
unix_window_use:
    /* sp: return address. Saved below it: d0-d1/a0-a1 (16 bytes). */
    movem.l %d0-%d1/%a0-%a1, -(%sp)
    /* The argument, pa, above the C++ function's return address. */
    move.l  %d0, -(%sp)
    jsr     unixemu_window_use
    addq.l  #4, %sp
    movem.l (%sp)+, %d0-%d1/%a0-%a1
    rts
