/* Exception entry and exit (paper §2.1, §4; MC68040 UM §8).
 *
 * Every vector enters at exception_entry. From user mode the complete interrupted
 * context (D0-D7, A0-A6, USP and the exception frame with its format-specific words) is
 * saved into the running thread's UserContext and control returns to the C++ caller of
 * m68k_run_user, on the kernel stack exactly where that call left it. From supervisor
 * mode (interrupts while the kernel idles, or a kernel fault) the registers are saved
 * on the stack and supervisor_exception handles it in place. */

#include "arch/m68k/context_layout.h"

    .text

/* Longwords after SR, PC and format/vector in each frame format (0-15). */
frame_extra_longs:
    .byte   0, 0, 1, 1, 2, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0

    .globl  exception_entry
exception_entry:
    /* stack: 68040 frame (SR, PC, format/vector, format words). Exceptions other than
     * interrupts keep the interrupted mask, so mask everything first. An interrupt taken
     * before this instruction arrives as a supervisor exception and is handled there. */
    ori.w   #0x0700, %sr
    btst    #5, (%sp)               /* S bit of the stacked SR */
    beq.s   user_entry

supervisor_entry:
    movem.l %d0-%d7/%a0-%a6, -(%sp)
    move.l  %usp, %a0
    move.l  %a0, -(%sp)
    /* stack: USP, D0-D7, A0-A6, frame  == struct SavedRegisters, then the frame */
    move.l  %sp, -(%sp)             /* argument: SavedRegisters* */
    jsr     supervisor_exception
    addq.l  #4, %sp
    move.l  (%sp)+, %a0
    move.l  %a0, %usp
    movem.l (%sp)+, %d0-%d7/%a0-%a6
    /* stack: frame */
    rte

user_entry:
    /* stack: frame, pushed just below m68k_kernel_sp (the SSP m68k_run_user left) */
    move.l  %a0, -(%sp)
    /* stack: A0, frame */
    move.l  m68k_user_context, %a0
    movem.l %d0-%d7, CTX_D0(%a0)
    movem.l %a1-%a6, CTX_A1(%a0)
    move.l  (%sp)+, CTX_A0(%a0)
    move.l  %usp, %a1
    move.l  %a1, CTX_USP(%a0)
    /* stack: frame */
    move.l  (%sp)+, CTX_FRAME(%a0)      /* SR, PC high word */
    move.l  (%sp)+, CTX_FRAME+4(%a0)    /* PC low word, format/vector */
    /* stack: format words */
    moveq   #0, %d0
    move.b  CTX_FRAME_FORMAT(%a0), %d0
    lsr.b   #4, %d0
    move.b  frame_extra_longs(%pc, %d0.w), %d0
    lea     CTX_FRAME_EXTRA(%a0), %a1
    bra.s   2f
1:  move.l  (%sp)+, (%a1)+
2:  dbra    %d0, 1b
    /* stack: empty down to m68k_kernel_sp: the caller's saved registers */
    movea.l m68k_kernel_sp, %sp
    movem.l (%sp)+, %d2-%d7/%a2-%a6
    moveq   #0, %d0                 /* the context holds the entry */
    tst.b   m68k_call_done
    beq.s   4f
    clr.b   m68k_call_done
    moveq   #1, %d0                 /* ... of a call already done (Preempt) */
4:  rts                             /* from m68k_run_user */

/* Vector 7: TRAPcc and TRAPV. From user mode, an ordinary trap for the thread's kernel.
 * From supervisor mode, one of the kernel's stack-limit checks (GCC's prologue
 * `cmp.l #__kernel_stack_limit+frame, %sp; trapcs`, linker/virt.ld) or a bug: either
 * way the end. The boot stack may have no room left, so the report runs on the
 * emergency stack above it, and does not come back. */
    .globl  trapcc_entry
trapcc_entry:
    /* stack: format $2 frame (SR, PC of the next instruction, vector, TRAPcc address) */
    btst    #5, (%sp)
    beq     exception_entry
    ori.w   #0x0700, %sr
    move.l  %sp, m68k_trapped_sp
    lea     __emergency_stack_top, %sp
    movem.l %d0-%d7/%a0-%a6, -(%sp)
    move.l  %usp, %a0
    move.l  %a0, -(%sp)
    /* emergency stack: USP, D0-D7, A0-A6 == struct SavedRegisters */
    movea.l %sp, %a0
    move.l  m68k_trapped_sp, -(%sp)     /* argument 2: the frame, on the boot stack */
    move.l  %a0, -(%sp)                 /* argument 1: SavedRegisters* */
    jsr     supervisor_trapcc           /* never returns */
1:  stop    #0x2700
    bra.s   1b

/* trap #0: a Cache Kernel call (ck/abi.h). From user mode the fast path
 * saves only what a call reads and C code may clobber, and lets m68k_call (the call
 * hook) do the call on this stack; the thread's other registers stay in the CPU, since
 * the C++ code preserves them. m68k_call returns an arch::CallOutcome. */
    .globl  call_entry
call_entry:
    /* stack: format $0 frame (SR, PC of the next instruction, vector 32) */
    btst    #5, (%sp)
    bne     exception_entry         /* a supervisor trap #0: the generic path reports it */
    ori.w   #0x0700, %sr
    movem.l %d0-%d4/%a0-%a1, -(%sp)
    /* stack: D0-D4, A0 (struct CallArguments: op, arg[4], pointer), A1, frame */
    move.l  %sp, -(%sp)
    jsr     m68k_call
    addq.l  #4, %sp
    tst.l   %d0
    bne.s   1f
    /* Return: status and value are in the saved D0 and D1 */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    rte
1:  subq.l  #1, %d0
    bne.s   2f
    /* FullEntry: nothing happened; enter as any other trap does */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    /* stack: frame */
    bra     user_entry
2:  subq.l  #1, %d0
    beq.s   3f
    /* Preempt: the results are in the saved D0/D1; save the whole context as any entry
     * does, but have m68k_run_user return 1 so that the trap is not taken for a call. */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    /* stack: frame */
    st      m68k_call_done
    bra     user_entry
3:  /* Switched: the thread's registers at the call are dead. Return from m68k_run_user,
     * telling it so. */
    movea.l m68k_kernel_sp, %sp
    /* stack: the callee-saved registers of m68k_run_user's caller */
    movem.l (%sp)+, %d2-%d7/%a2-%a6
    moveq   #1, %d0
    rts

/* u32 m68k_run_user(UserContext* context)
 * Enters user mode with the state in *context (its SR must be a user SR). Returns, with
 * interrupts masked, when the thread next enters the kernel: 0 when *context then holds
 * the state it entered with, 1 when a fast-path call switched it to another context
 * or must give way to another thread, its context then saved after the call
 * (call_entry). Called with interrupts masked. */
    .globl  m68k_run_user
m68k_run_user:
    /* stack: return PC, context */
    movea.l 4(%sp), %a0
    movem.l %d2-%d7/%a2-%a6, -(%sp)
    /* stack: D2-D7, A2-A6 (callee-saved), return PC, context */
    move.l  %sp, m68k_kernel_sp
    move.l  %a0, m68k_user_context
    /* Rebuild the frame: format words first (highest address), then the 8-byte head. */
    moveq   #0, %d0
    move.b  CTX_FRAME_FORMAT(%a0), %d0
    lsr.b   #4, %d0
    move.b  frame_extra_longs(%pc, %d0.w), %d0
    lea     CTX_FRAME_EXTRA(%a0, %d0.w*4), %a1
    bra.s   2f
1:  move.l  -(%a1), -(%sp)
2:  dbra    %d0, 1b
    move.l  CTX_FRAME+4(%a0), -(%sp)    /* PC low word, format/vector */
    move.l  CTX_FRAME(%a0), -(%sp)      /* SR, PC high word */
    /* stack: frame, then the callee-saved registers */
    movea.l CTX_USP(%a0), %a1
    move.l  %a1, %usp
    movem.l CTX_D0(%a0), %d0-%d7/%a0-%a6
    rte

    .bss
    .align  4
    .globl  m68k_kernel_sp, m68k_user_context, m68k_call_done
m68k_kernel_sp:     .long 0     /* SSP while a thread runs: where its entry comes back */
m68k_user_context:  .long 0     /* the running thread's UserContext */
m68k_call_done:     .byte 0     /* user_entry is saving a call's context, not a trap's */

    .section .way_down, "aw", @nobits
    .align  4
m68k_trapped_sp:    .long 0     /* the boot stack's SP at a supervisor TRAPcc */
