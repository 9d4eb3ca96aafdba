/* Page copies and clears with MOVE16 (page_ops.h). C calling convention: arguments on
 * the stack, a0/a1/d0/d1 free to use. */
    .chip   68040

/* void ak::copy_page(void* to, const void* from)
 * 4(sp) = to, 8(sp) = from. a0 = to, a1 = from, d0 = lines left / 4 - 1: four
 * MOVE16s (64 bytes) a round, 64 rounds. */
    .text
    .globl  _ZN2ak9copy_pageEPvPKv
_ZN2ak9copy_pageEPvPKv:
    move.l  4(%sp), %a0
    move.l  8(%sp), %a1
    moveq   #63, %d0
1:  move16  (%a1)+, (%a0)+
    move16  (%a1)+, (%a0)+
    move16  (%a1)+, (%a0)+
    move16  (%a1)+, (%a0)+
    dbra    %d0, 1b
    rts

/* void ak::zero_page(void* to)
 * 4(sp) = to. a0 = to, d0 = rounds left - 1: the zero line moved to each line of the
 * page (MOVE16 from an absolute address; the line comes from the cache once there). */
    .globl  _ZN2ak9zero_pageEPv
_ZN2ak9zero_pageEPv:
    move.l  4(%sp), %a0
    moveq   #63, %d0
1:  move16  ak_zero_line, (%a0)+
    move16  ak_zero_line, (%a0)+
    move16  ak_zero_line, (%a0)+
    move16  ak_zero_line, (%a0)+
    dbra    %d0, 1b
    rts

/* Sixteen zero bytes, line-aligned, read-only. */
    .section .rodata
    .balign 16
ak_zero_line:
    .long   0, 0, 0, 0
