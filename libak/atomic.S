/* compare_and_set_two (atomic.h) with CAS2.L. C calling convention: the arguments on
 * the stack, d0/d1/a0/a1 free; d2/d3 saved. */
    .chip   68040
    .text
    .globl  _ZN2ak19compare_and_set_twoEPVjjjS1_jj
_ZN2ak19compare_and_set_twoEPVjjjS1_jj:
    movem.l %d2-%d3, -(%sp)
    /* stack: d2, d3, return address, a, a_old, a_new, b, b_old, b_new */
    movea.l 12(%sp), %a0            /* a */
    move.l  16(%sp), %d0            /* a_old */
    move.l  20(%sp), %d2            /* a_new */
    movea.l 24(%sp), %a1            /* b */
    move.l  28(%sp), %d1            /* b_old */
    move.l  32(%sp), %d3            /* b_new */
    cas2.l  %d0:%d1, %d2:%d3, (%a0):(%a1)
    seq     %d0                     /* Z: both compared equal and both were written */
    andi.l  #1, %d0
    movem.l (%sp)+, %d2-%d3
    rts
