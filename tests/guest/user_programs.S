/* User-mode programs for the guest tests (tests/guest/user_space.h). They run from the
 * image's .user_text pages, mapped read-only at their link addresses into each test
 * address space. Conventions: TRAP #15 ends the program (result in D0), TRAP #14
 * reports a failed check. Arguments arrive in registers the test sets. */

#include "user_layout.h"

    .section .user_text, "ax"

/* TRAP #5, then prove the thread resumed after it: D0 = 0x5a5a, exit. */
    .globl  user_trap_then_exit
user_trap_then_exit:
    trap    #5
    move.l  #0x5a5a, %d0
    trap    #15

/* Ends at once, D0 unchanged. */
    .globl  user_exit
user_exit:
    trap    #15

/* D0 = the longword at A0; exit. */
    .globl  user_load
user_load:
    move.l  (%a0), %d0
    trap    #15

/* The longword at A0 = D1; D0 = D1; exit. */
    .globl  user_store
user_store:
    move.l  %d1, (%a0)
    move.l  %d1, %d0
    trap    #15

/* Supervisor-only instructions: each must raise a privilege violation. */
    .globl  user_move_to_sr, user_movec, user_stop, user_reset
user_move_to_sr:
    move.w  #0x2700, %sr
    trap    #14
user_movec:
    movec   %d0, %vbr
    trap    #14
user_stop:
    stop    #0x2000
    trap    #14
user_reset:
    reset
    trap    #14

    .globl  user_illegal
user_illegal:
    illegal
    trap    #14

/* Address-space isolation. A0 = a data page, D1 = this thread's tag, which the test has
 * stored at (A0). Forever: check the tag is still ours, store it again, count the
 * round at 4(A0). Another thread's tag in our page is a failure. */
    .globl  user_stamp_loop
user_stamp_loop:
1:  cmp.l   (%a0), %d1
    bne.s   2f
    move.l  %d1, (%a0)
    addq.l  #1, 4(%a0)
    bra.s   1b
2:  trap    #14

/* Register preservation. The test sets D1-D7, A0-A6 and the USP and stores the same
 * values, and FP0-FP7's, in this thread's page at TORTURE_PAGE (user_layout.h). Forever:
 * count rounds in D0 and in memory, compare every register with its stored value. Any
 * difference (a register, a condition code, the count) is reported with TRAP #14. */
    .globl  user_register_torture
user_register_torture:
    fmovem.x TORTURE_FP, %fp0-%fp7
    moveq   #0, %d0
1:  addq.l  #1, %d0
    addq.l  #1, TORTURE_COUNT
    cmp.l   TORTURE_COUNT, %d0
    bne     9f
    .irp    n, 1, 2, 3, 4, 5, 6, 7
    cmp.l   TORTURE_D1+4*(\n-1), %d\n
    bne     9f
    .endr
    .irp    n, 0, 1, 2, 3, 4, 5, 6
    cmpa.l  TORTURE_A0+4*\n, %a\n
    bne     9f
    .endr
    cmpa.l  TORTURE_SP, %sp
    bne     9f
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7
    fcmp.x  TORTURE_FP+12*\n, %fp\n
    fbne    9f
    .endr
    bra     1b
9:  trap    #14

/* Benchmark loops (bench/microbench.cpp): D2 = rounds. Each does one thing per round
 * and ends with TRAP #15; user_nop_loop is their baseline. */
    .globl  user_nop_loop, user_trap_loop, user_yield_loop, user_touch_loop
user_nop_loop:
1:  nop
    subq.l  #1, %d2
    bne.s   1b
    trap    #15
user_trap_loop:
1:  trap    #1
    subq.l  #1, %d2
    bne.s   1b
    trap    #15
user_yield_loop:
1:  trap    #2
    subq.l  #1, %d2
    bne.s   1b
    trap    #15
/* Reads one longword per page from A0 on, D2 pages. */
user_touch_loop:
1:  tst.l   (%a0)
    adda.l  #4096, %a0
    subq.l  #1, %d2
    bne.s   1b
    trap    #15
