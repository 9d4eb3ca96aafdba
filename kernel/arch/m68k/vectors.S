/* Default exception entry: saves the complete interrupted context, calls the C++
 * dispatcher with a pointer to it, and restores it exactly. */

    .text
    .globl  exception_entry
exception_entry:
    /* stack: 68040 frame (SR, PC, format/vector, format-specific words) */
    movem.l %d0-%d7/%a0-%a6, -(%sp)
    /* stack: D0-D7 A0-A6 (60 bytes), frame */
    move.l  %usp, %a0
    move.l  %a0, -(%sp)
    /* stack: USP, D0-D7 A0-A6, frame  == struct SavedRegisters, then the frame */
    move.l  %sp, -(%sp)             /* argument: SavedRegisters* */
    jsr     exception_dispatch
    addq.l  #4, %sp
    /* stack: USP, D0-D7 A0-A6, frame */
    move.l  (%sp)+, %a0
    move.l  %a0, %usp
    movem.l (%sp)+, %d0-%d7/%a0-%a6
    /* stack: frame */
    rte
