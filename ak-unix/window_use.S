/* The memory window's slow path (physical_memory.h, issue 17): Memory::at() calls
 * unix_window_use with the frame address in d0 when the window may lack the page, from
 * inline code that keeps its values in registers across the call. So the call keeps
 * every register: the C calling convention's scratch registers (d0-d1/a0-a1, fp0-fp1)
 * are saved here around the C++ path, unixemu_window_use(pa). */
    .chip   68040
    .text
    .globl  unix_window_use
unix_window_use:
    /* sp: return address. Saved below it: d0-d1/a0-a1 (16 bytes), fp0-fp1 (24 bytes). */
    movem.l %d0-%d1/%a0-%a1, -(%sp)
    fmovem.x %fp0-%fp1, -(%sp)
    /* The argument, pa, above the C++ function's return address. */
    move.l  %d0, -(%sp)
    jsr     unixemu_window_use
    addq.l  #4, %sp
    fmovem.x (%sp)+, %fp0-%fp1
    movem.l (%sp)+, %d0-%d1/%a0-%a1
    rts
