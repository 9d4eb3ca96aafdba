/* Exception entry and exit (paper §2.1, §4, §5.3; MC68040 UM §8).
 *
 * Every vector enters at exception_entry. From user mode the complete interrupted
 * context (D0-D7, A0-A6, USP and the exception frame with its format-specific words) is
 * saved into the running thread's UserContext; then a trap or fault may be forwarded
 * straight into the kernel's handler from the thread's card (forward_card) or by the
 * hooks (forward_fast), or the hooks may enter another context (enter_next); otherwise
 * control returns to the C++ caller of m68k_run_user, on the kernel stack exactly where
 * that call left it. trap #0 has its own entry
 * (call_entry), which answers the simplest calls itself. From supervisor mode
 * (interrupts while the kernel idles, or a kernel fault) the registers are saved on the
 * stack and supervisor_exception handles it in place. */

#include "arch/m68k/context_layout.h"
#include "arch/m68k/fast_path_layout.h"

/* D0-D7 and A0-A6 into the running context (m68k_user_context, whose first 15 longwords
 * they are: context_layout.h), with one MOVEM through the pointer (memory indirect,
 * MC68020 and later); a0 is the context afterwards. */
.macro SAVE_REGISTERS
    movem.l %d0-%d7/%a0-%a6, ([m68k_user_context])
    movea.l m68k_user_context, %a0
.endm

/* The address space switch of arch::switch_address_space: URP to root `reg`'s, and the
 * user translations of the previous space out of both ATCs (PFLUSHAN: every non-global
 * entry; the kernel's own are global), unless it is the current one already. */
.macro SWITCH_SPACE reg
    cmp.l   m68k_current_root, \reg
    beq.s   79f
    move.l  \reg, m68k_current_root
    movec   \reg, %urp
    pflushan
79:
.endm

/* The first half of the FPU switch below: unless context `ctx` owns the FPU already (to
 * 78f), the owner's state saved (FSAVE; its programmer's registers only when the frame
 * is not null); to 76f. Uses a1. */
.macro SAVE_FPU_OWNER ctx
    movea.l m68k_fpu_owner, %a1
    cmpa.l  %a1, \ctx
    beq.s   78f                     /* it holds ctx's state already */
    tst.l   %a1
    beq.s   76f                     /* no one's */
    fsave   CTX_FPU(%a1)
    tst.b   CTX_FPU(%a1)
    beq.s   76f
    fmovem.x %fp0-%fp7, CTX_FPU_REGS(%a1)
    fmovem.l %fpcr/%fpsr/%fpiar, CTX_FPU_CONTROL(%a1)
76:
.endm

/* The same switch to a context `ctx` whose FSAVE frame is null (a fresh handler): its
 * FRESTORE resets the FPU. */
.macro SWITCH_FPU_RESET ctx
    SAVE_FPU_OWNER \ctx
    frestore CTX_FPU(\ctx)
    move.l  \ctx, m68k_fpu_owner
78:
.endm

/* The FPU switch of user_mode.cpp's switch_fpu: the FPU to context `ctx` (an address
 * register other than a1, which it uses). The owner's state is saved first (FSAVE, and
 * the programmer's registers only when the frame is not null: MC68040 UM §9.x, FSAVE
 * waits for the FPU and a null frame means it holds nothing), then `ctx`'s restored
 * (registers only for a non-null frame, FRESTORE last: of a null frame it resets the
 * FPU). */
.macro SWITCH_FPU ctx
    SAVE_FPU_OWNER \ctx
    RESTORE_FPU \ctx
78:
.endm

/* The second half: context `ctx`'s state into the FPU, which holds no one's (or only
 * state to drop). */
.macro RESTORE_FPU ctx
    tst.b   CTX_FPU(\ctx)
    beq.s   77f
    fmovem.l CTX_FPU_CONTROL(\ctx), %fpcr/%fpsr/%fpiar
    fmovem.x CTX_FPU_REGS(\ctx), %fp0-%fp7
77: frestore CTX_FPU(\ctx)
    move.l  \ctx, m68k_fpu_owner
.endm

/* Whether context `ctx` (an address register) can be entered as continue_in enters
 * one: no writes carried, and a frame that sanitize keeps (format $0, $2, $3, $4, or
 * $7 with neither writeback valid: exception_frame.h, may_have_pending_writes); to
 * `no` if not (the run loop's entry does what is left). Uses d1. */
.macro RESUMABLE ctx, no
    tst.b   CTX_CARRIED_SIZE0(\ctx)
    bne     \no                     /* writes to do first */
    move.b  CTX_FRAME_FORMAT(\ctx), %d1
    andi.b  #0xf0, %d1
    beq.s   73f                     /* format $0 */
    cmpi.b  #0x70, %d1
    beq.s   72f
    cmpi.b  #0x40, %d1
    bhi     \no                     /* one sanitize replaces */
    cmpi.b  #0x10, %d1
    beq     \no
    bra.s   73f                     /* $2, $3, $4 */
72: move.b  CTX_FRAME+15(\ctx), %d1 /* $7: the valid bits of WB2S and WB3S */
    or.b    CTX_FRAME+17(\ctx), %d1
    bmi     \no                     /* writes maybe pending */
73:
.endm

/* Whether thread `thr` (an address register) is the run queue's front (RunQueue::front,
 * kept up to date by the queue, read through the link, memory indirect); to `no` if
 * not. */
.macro IS_FRONT thr, no
    cmpa.l  ([m68k_fast_front]), \thr
    bne     \no
.endm

/* enter_context for a context `ctx` (an address register) whose frame is format $0
 * below vector 64 (no words after the frame's head, checked by the caller); stack: down
 * to m68k_kernel_sp. */
.macro ENTER_FORMAT0 ctx
    move.l  \ctx, m68k_user_context
    move.l  CTX_FRAME+4(\ctx), -(%sp)  /* PC low word, format/vector */
    move.l  CTX_FRAME(\ctx), -(%sp)    /* SR, PC high word */
    movea.l CTX_USP(\ctx), %a1
    move.l  %a1, %usp
    movem.l CTX_D0(\ctx), %d0-%d7/%a0-%a6
    rte
.endm

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
    SAVE_REGISTERS
    move.l  %usp, %a1
    move.l  %a1, CTX_USP(%a0)
    /* stack: frame */
    move.l  (%sp)+, CTX_FRAME(%a0)      /* SR, PC high word */
    move.l  (%sp)+, CTX_FRAME+4(%a0)    /* PC low word, format/vector */
    /* stack: format words */
    moveq   #0, %d0
    move.b  CTX_FRAME_FORMAT(%a0), %d0
    beq.s   4f                      /* format $0 below vector 64: no more words */
    lsr.b   #4, %d0
    cmpi.b  #7, %d0
    beq.s   3f
    move.b  frame_extra_longs(%pc, %d0.w), %d0
    lea     CTX_FRAME_EXTRA(%a0), %a1
    bra.s   2f
1:  move.l  (%sp)+, (%a1)+
2:  dbra    %d0, 1b
    bra.s   4f
3:  /* format $7 (an access error): its 13 longwords at once */
    movem.l (%sp)+, %d0-%d7/%a1-%a5
    movem.l %d0-%d7/%a1-%a5, CTX_FRAME_EXTRA(%a0)
4:
user_saved:
    /* stack: empty down to m68k_kernel_sp: the caller's saved registers */
    movea.l m68k_kernel_sp, %sp
    tst.b   m68k_call_done
    bne.s   5f
    /* a0: the context; stack: down to m68k_kernel_sp. A trap #1-15 (or a trap #0
     * outside a home space) from a context with a card: forward_card. */
    move.w  CTX_FRAME+6(%a0), %d0
    subi.w  #0x0080, %d0            /* format $0, vector 32 (trap #0): 0 */
    cmpi.w  #0x003c, %d0
    bhi.s   1f                      /* not a trap */
    tst.l   CTX_CARD(%a0)
    beq.s   1f
    lsr.w   #2, %d0
    moveq   #0, %d5
    move.w  %d0, %d5                /* the trap number */
    bne     forward_card
    tst.b   m68k_call_gate          /* trap #0 in a home space: a call that needs the */
    beq     forward_card            /* whole context, for the hooks */
1:  cmpi.w  #0x7008, CTX_FRAME+6(%a0)
    beq     access_error            /* format $7, vector 2: maybe a page fault, below */
user_decode:
    moveq   #1, %d0                 /* a fault may go to forward_card */
    move.l  %d0, -(%sp)
    bra.s   3f
user_hooks:
    /* stack: down to m68k_kernel_sp (what forward_card could not take) */
    clr.l   -(%sp)
    /* A trap or fault the hooks may forward without the run loop (m68k_exception): 0,
     * they did nothing; 1, enter m68k_next_context; 2, handled, back to the run loop;
     * 3, enter the kernel's handler as m68k_plan says (forward_fast); 4, a fault for
     * forward_card. */
3:  jsr     m68k_exception
    addq.l  #4, %sp
    moveq   #-1, %d5                /* forward_card: the fault m68k_exception decoded */
    subq.l  #4, %d0
    beq     forward_card
    addq.l  #4, %d0
    beq.s   4f
    subq.l  #1, %d0
    beq     enter_next
    subq.l  #1, %d0
    bne     forward_fast
    bra.s   6f
5:  clr.b   m68k_call_done          /* the entry of a call already done (Preempt) */
6:  moveq   #1, %d0
    bra.s   7f
4:  moveq   #0, %d0                 /* the context holds the entry */
7:  movem.l (%sp)+, %d2-%d7/%a2-%a6
    rts                             /* from m68k_run_user */

/* An access error (format $7, vector 2) of a context with a card whose address has no
 * translation in the current tables (a page fault, the common case): decoded here as
 * m68k_exception and decode_user_entry decode it, its words into m68k_report, then to
 * forward_card with d5 = -2 (m68k_forward_card decodes the frame again if it is asked).
 * Anything else (no card, a bus error, a translation that exists: a first write to
 * record or a protection fault) goes to m68k_exception, having changed nothing.
 * a0: the context; stack: down to m68k_kernel_sp; every register free. */
access_error:
    tst.l   CTX_CARD(%a0)
    beq     user_decode
    move.w  CTX_FRAME+12(%a0), %d1  /* the SSW */
    btst    #10, %d1                /* ATC: a fault of the MMU, else a bus error */
    beq     user_decode
    /* The fault address's translation (lookup_current): root, pointer and page table
     * through the pool's window (m68k_table_bias), as forward_card walks; a resident
     * page descriptor (PDT x1) means one exists. */
    move.l  CTX_FRAME+20(%a0), %d3  /* the fault address */
    move.l  m68k_table_bias, %d4
    movea.l m68k_current_root, %a1
    adda.l  %d4, %a1
    bfextu  %d3{#0:#7}, %d0         /* root index */
    move.l  (%a1, %d0.l*4), %d0
    btst    #1, %d0                 /* UDT: the pointer table is resident */
    beq.s   1f
    andi.w  #0xfe00, %d0
    movea.l %d0, %a1
    adda.l  %d4, %a1
    bfextu  %d3{#7:#7}, %d0         /* pointer index */
    move.l  (%a1, %d0.l*4), %d0
    btst    #1, %d0
    beq.s   1f
    clr.b   %d0                     /* the page table, 256-byte aligned */
    movea.l %d0, %a1
    adda.l  %d4, %a1
    bfextu  %d3{#14:#6}, %d0        /* page index */
    btst    #0, 3(%a1, %d0.l*4)     /* the descriptor's PDT, low bit: resident */
    bne     user_decode             /* a translation: the hooks decide */
1:  /* The access (exception_access): TM 2, 4 or 6 a fetch, else the RW bit's read or
     * write; the size (SIZ: 4, 1, 2 or 16 bytes) in bits 8 and up. */
    moveq   #7, %d0
    and.w   %d1, %d0                /* TM */
    beq.s   2f                      /* 0: a data access (a push) */
    btst    #0, %d0
    bne.s   2f                      /* odd: data */
    moveq   #ABI_CK_ACCESS_EXECUTE, %d2
    bra.s   3f
2:  moveq   #ABI_CK_ACCESS_READ, %d2
    btst    #8, %d1                 /* RW: 1 a read */
    bne.s   3f
    moveq   #ABI_CK_ACCESS_WRITE, %d2
3:  bfextu  %d1{#25:#2}, %d0        /* SIZ, SSW bits 6-5 */
    moveq   #0, %d1
    move.b  access_sizes(%pc, %d0.w), %d1
    lsl.w   #8, %d1
    or.l    %d1, %d2
    /* m68k_report: kind, vector, address, access */
    lea     m68k_report, %a1
    moveq   #ABI_CK_EXC_MAPPING, %d0
    move.l  %d0, (%a1)+
    moveq   #2, %d0
    move.l  %d0, (%a1)+
    move.l  %d3, (%a1)+
    move.l  %d2, (%a1)
    moveq   #-2, %d5                /* a fault decoded here */
    bra     forward_card
access_sizes:
    .byte   4, 1, 2, 16
    .align  2

/* Vectors 33-47: trap #1-15, and (at trap_user) a trap #0 that is not a call (every
 * system call of a UNIX process). From user mode the context is saved as user_entry
 * saves it, without looking at the frame: a trap's is always format $0 (four words,
 * MC68040 UM §8.4.1), and the flags user_entry tests are only set by a call that
 * call_entry handed to the hooks. From a context with a card (a thread's own code),
 * straight to forward_card; anything else as any entry. */
    .globl  trap_entry
trap_entry:
    /* stack: format $0 frame (SR, PC of the next instruction, vector 33-47) */
    ori.w   #0x0700, %sr
    btst    #5, (%sp)
    bne     supervisor_entry        /* the kernel does not trap: a bug, reported there */
trap_user:
    /* stack: a user trap's format $0 frame (also trap #0 from thread_value: d5 is 0) */
    SAVE_REGISTERS
    move.l  %usp, %a1
    move.l  %a1, CTX_USP(%a0)
    /* stack: frame */
    move.l  (%sp)+, CTX_FRAME(%a0)      /* SR, PC high word */
    move.l  (%sp)+, CTX_FRAME+4(%a0)    /* PC low word, format/vector */
    /* stack: empty down to m68k_kernel_sp (the frame was its four words) */
    tst.l   CTX_CARD(%a0)
    beq     user_saved
    /* The trap number: the vector's low four bits (vectors 32-47 are trap #0-15), bits
     * 5-2 of the format/vector word. The stack is already down to m68k_kernel_sp: every
     * user-mode SSP is (enter_context, enter_handler and the resumes rte from there). */
    bfextu  CTX_FRAME+6(%a0){#10:#4}, %d5
    bra     forward_card_context

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

/* trap #0: a Cache Kernel call (ck/abi.h) when the running context's address space
 * is its kernel's home (m68k_call_gate); elsewhere an ordinary trap for its kernel.
 * CK_NULL and CK_QUERY_TIME are answered here, in registers, and a plain CK_RESUME
 * enters the resumed context from here (m68k_resume). Every other call saves
 * only what a call reads and C code may clobber, and lets m68k_call (the call hook) do
 * it on this stack; the thread's other registers stay in the CPU, since the C++ code
 * preserves them. m68k_call returns an arch::CallOutcome. */
    .globl  call_entry
call_entry:
    /* stack: format $0 frame (SR, PC of the next instruction, vector 32) */
    btst    #5, (%sp)
    bne     exception_entry         /* a supervisor trap #0: the generic path reports it */
    ori.w   #0x0700, %sr
    tst.b   m68k_call_gate
    beq     thread_value            /* not a call: a trap for the thread's kernel */
    /* On the operation: through call_table (one JMP through the table's entry, memory
     * indirect); beyond it, the call hook. */
    cmpi.l  #CALL_TABLE_OPS - 1, %d0
    bhi     call_hook
    jmp     ([call_table, %pc, %d0.l*4])
call_null:
    /* CK_NULL: status CK_OK is already in D0; the value is 0. */
    moveq   #0, %d1
    rte
call_query:
    cmpi.l  #ABI_CK_QUERY_TIME, %d1
    bne     call_hook
    tst.l   m68k_rtc_time_low       /* no clock yet: the C++ path answers */
    beq     call_hook
    /* CK_QUERY_TIME: the low word of arch::clock_ns(), one RTC read (the low word of a
     * difference is the difference of the low words), a plain `move.l (An)` as
     * MmioRegion::read does it (mmio.h: QEMU 7.2 under -icount). */
    move.l  %a1, -(%sp)
    /* stack: A1, frame */
    movea.l m68k_rtc_time_low, %a1
    move.l  (%a1), %d1
    movea.l (%sp)+, %a1
    sub.l   m68k_clock_origin_low, %d1
    moveq   #0, %d0
    rte
/* Where call_entry goes for each operation below CALL_TABLE_OPS. */
    .align  2
call_table:
    .long   call_null               /* CK_NULL (0) */
    .rept   ABI_CK_LOAD_SPACE - 1
    .long   call_hook
    .endr
    .long   plain_call              /* CK_LOAD_SPACE: its common case, else the call hook */
    .rept   ABI_CK_LOAD_THREAD - ABI_CK_LOAD_SPACE - 1
    .long   call_hook
    .endr
    .long   plain_call              /* CK_LOAD_THREAD: the same */
    .long   plain_call              /* CK_UNLOAD_THREAD (of another thread) */
    .long   load_fast               /* CK_LOAD_MAPPING: its common case, else load_plain */
    .long   plain_call              /* CK_UNLOAD_MAPPING */
    .rept   ABI_CK_RESUME - ABI_CK_UNLOAD_MAPPING - 1
    .long   call_hook
    .endr
    .long   resume_check            /* CK_RESUME */
    .long   load_resume_fast        /* CK_LOAD_MAPPING_RESUME (CK_RESUME + 1): its common case, else load_resume */
    .rept   ABI_CK_QUERY - ABI_CK_LOAD_MAPPING_RESUME - 1
    .long   call_hook
    .endr
    .long   call_query              /* CK_QUERY */
    .long   plain_call              /* CK_BLOCK (CK_QUERY + 1) */
    .long   plain_call              /* CK_WAKE */
    .rept   ABI_CK_SIGNAL - ABI_CK_WAKE - 1
    .long   call_hook
    .endr
    .long   plain_call              /* CK_SIGNAL */
    .rept   ABI_CK_WAIT_SIGNAL - ABI_CK_SIGNAL - 1
    .long   call_hook
    .endr
    .long   plain_call              /* CK_WAIT_SIGNAL */
    .rept   CALL_TABLE_OPS - ABI_CK_WAIT_SIGNAL - 1
    .long   call_hook
    .endr
thread_value:
    /* stack: format $0 frame. A trap #0 outside the home space whose d0 is the running
     * context's value call (CK_SET_THREAD_VALUE) is answered here: d0 = its value; the
     * rest go to the thread's kernel. A0 is saved around the look. */
    move.l  %a0, -(%sp)
    /* stack: A0, frame */
    movea.l m68k_user_context, %a0
    tst.l   CTX_VALUE_CALL(%a0)
    beq.s   1f
    cmp.l   CTX_VALUE_CALL(%a0), %d0
    bne.s   1f
    move.l  CTX_VALUE(%a0), %d0
    movea.l (%sp)+, %a0
    rte
1:  movea.l (%sp)+, %a0
    /* stack: format $0 frame, as trap #1-15 leave it (call_entry set no flag for
     * user_entry): saved as trap_entry saves, then to the card or the hooks. */
    bra     trap_user
resume_check:
    /* CK_RESUME with no flags or with CK_RESUME_RESULT (a handler done with its
     * exception): done here in the common case, else m68k_resume(d1 flags, d2 result)
     * does it; either way the thread's resumed context is entered from here. 0: it did
     * nothing (the hook answers, an error for one), 1: enter m68k_next_context, 2:
     * done, the run loop enters it. The call's registers are dead once it is done. */
    tst.l   %d1
    beq.s   2f
    cmpi.l  #ABI_CK_RESUME_RESULT, %d1
    bne     call_hook
2:  movem.l %d0-%d1/%a0-%a1, -(%sp)
    /* stack: D0, D1, A0, A1, frame. The common case here, when every check of the
     * resume hook (CacheKernel::resume_directly) and of continue_in holds and nothing
     * is left to do on the way (no signal queued, no writes pending, a frame sanitize
     * keeps): else the hook's (resume_hook), these four registers still as pushed and
     * d2 (the result) untouched. */
    move.l  ([m68k_fast_running]), %d0
    beq     resume_hook
    movea.l %d0, %a0                /* the thread */
    tst.b   ([T_SPACE, %a0], AS_CALLS)
    beq     resume_hook             /* not in its kernel's home: not a call */
    move.b  T_RUNNING(%a0), %d0
    subq.b  #RUNNING_HANDLER, %d0   /* what it runs when it leaves the handler */
    bcs     resume_hook             /* not in an exception: the call hook's error */
    IS_FRONT %a0, resume_hook
    move.l  T_SLOT(%a0), %d1
    mulu.l  m68k_fast_signals_stride, %d1
    tst.l   ([m68k_fast_signals], %d1.l)
    bne     resume_hook             /* signals queued: the hook delivers them */
    movea.l T_INTERRUPTED(%a0), %a1 /* the context it resumes */
    RESUMABLE %a1, resume_hook
    /* Out of the handler (ThreadObject::leave_handler): its state, the handler's FPU
     * state dropped (the next forward resets it), the interrupted context running in
     * its own space; the current thread, the call counted. a0: the thread; d0: its
     * Running once out. The handler's registers are dead from here. */
    move.b  %d0, T_RUNNING(%a0)
    movea.l T_INTERRUPTED(%a0), %a3 /* the context */
    move.l  %a3, T_CONTEXT(%a0)
    tst.l   4(%sp)                  /* the flags, as pushed */
    beq.s   5f
    move.l  %d2, CTX_D0(%a3)        /* CK_RESUME_RESULT: the result in its d0 */
5:
    movea.l ([T_OWN+CTX_CARD, %a0], CARD_OWN_SPACE), %a2 /* its own space, from its card */
    move.l  %a2, T_SPACE(%a0)
    move.l  %a0, ([m68k_fast_current])
    addq.l  #1, m68k_fast_calls+4   /* a u64, high word first */
    bcc.s   3f
    addq.l  #1, m68k_fast_calls
3:  /* continue_in: its space and FPU, a frame with only the condition codes of SR
     * (the format was checked); entered from the kernel stack. a2: its space; a3: the
     * context. */
    move.b  AS_CALLS(%a2), m68k_call_gate
    move.l  AS_TABLES(%a2), %d0
    SWITCH_SPACE %d0
    /* The FPU: nothing to do when it still holds the context's state (a handler that
     * does not use it: CK_KERNEL_HANDLER_NO_FPU); else the handler's state dropped when
     * it holds it (discard_user_context: the next forward resets it), so the context's
     * is restored (switch_fpu). */
    cmpa.l  m68k_fpu_owner, %a3
    beq.s   7f
    lea     T_HANDLER(%a0), %a4
    cmpa.l  m68k_fpu_owner, %a4
    bne.s   6f
    RESTORE_FPU %a3
    bra.s   7f
6:  SWITCH_FPU %a3
7:  andi.w  #0x001f, CTX_FRAME(%a3)
    movea.l m68k_kernel_sp, %sp
    /* stack: the callee-saved registers of m68k_run_user's caller */
    tst.b   CTX_FRAME_FORMAT(%a3)
    bne.s   8f
    /* Format $0 below vector 64 (every trap's): enter_context's way without the frame's
     * extra words, here (the registers of the call are dead). */
    ENTER_FORMAT0 %a3
8:  movea.l %a3, %a0
    bra     enter_context
resume_hook:
    /* stack: D0, D1, A0, A1 as the call had them, frame */
    move.l  %d2, -(%sp)
    move.l  8(%sp), -(%sp)          /* D1, the flags */
    /* stack: flags, result (m68k_resume's arguments), D0, D1, A0, A1, frame */
    jsr     m68k_resume
    addq.l  #8, %sp
    /* stack: D0, D1, A0, A1, frame */
    tst.l   %d0
    bne.s   1f
    movem.l (%sp)+, %d0-%d1/%a0-%a1
    /* stack: frame */
    bra.s   call_hook
1:  subq.l  #1, %d0
    beq     enter_next
    bra     call_switched
    .if PLAIN_CALL_DECLINED != 7
    .error "outcome_table's last entry is PlainCall::Declined"
    .endif
call_hook:
    movem.l %d0-%d4/%a0-%a1, -(%sp)
call_hook_pushed:
    /* stack: D0-D4, A0 (struct CallArguments: op, arg[4], pointer), A1, frame */
    move.l  %sp, -(%sp)
    jsr     m68k_call
    addq.l  #4, %sp
call_outcome:
    /* d0: the arch::CallOutcome (or, from plain_call, PlainCall::Declined); stack: as
     * pushed above. One jump through the table by outcome. */
    jmp     ([outcome_table, %pc, %d0.l*4])
    .align  2
outcome_table:
    .long   outcome_return          /* Return (0) */
    .long   outcome_full_entry      /* FullEntry (1) */
    .long   call_switched           /* Switched (2) */
    .long   outcome_preempt         /* Preempt (3) */
    .long   enter_next              /* Enter (4): the registers at the call are dead */
    .long   outcome_switch_to       /* SwitchTo (5) */
    .long   outcome_none            /* (6: no hook answers it here) */
    .long   call_hook_pushed        /* PlainCall::Declined (7): the call hook's, the arguments as pushed */
outcome_none:
    illegal                         /* a bug: the supervisor's report */
outcome_return:
    /* Return: status and value are in the saved D0 and D1 */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    rte
outcome_full_entry:
    /* FullEntry: nothing happened; the whole context saved as for a trap as any other */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    bra     user_entry
outcome_preempt:
    /* Preempt: the results are in the saved D0/D1; the whole context saved, and
     * m68k_run_user is to return 1 so that the trap is not taken for a call. */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    st      m68k_call_done
    bra     user_entry
outcome_switch_to:
    /* SwitchTo (5): the results are in the saved D0/D1; the whole context saved as
     * user_entry saves it (the frame is the call's: trap #0 from user mode, format $0,
     * no more words), then the next thread's entered (m68k_next_context: continue_in
     * accepted it and switched its space and FPU). */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    /* stack: frame */
    SAVE_REGISTERS
    move.l  %usp, %a1
    move.l  %a1, CTX_USP(%a0)
    move.l  (%sp)+, CTX_FRAME(%a0)      /* SR, PC high word */
    move.l  (%sp)+, CTX_FRAME+4(%a0)    /* PC low word, format/vector */
    /* stack: down to m68k_kernel_sp (the frame was its four words) */
    movea.l m68k_next_context, %a0
    tst.b   CTX_FRAME_FORMAT(%a0)
    bne     enter_context
    ENTER_FORMAT0 %a0
call_switched:
    /* Switched: the thread's registers at the call are dead. Return from m68k_run_user,
     * telling it so. */
    movea.l m68k_kernel_sp, %sp
    /* stack: the callee-saved registers of m68k_run_user's caller */
    movem.l (%sp)+, %d2-%d7/%a2-%a6
    moveq   #1, %d0
    rts

/* CK_LOAD_SPACE's and CK_LOAD_THREAD's common case, CK_WAKE, CK_SIGNAL, CK_BLOCK,
 * CK_WAIT_SIGNAL, CK_UNLOAD_MAPPING, CK_UNLOAD_THREAD of another thread (m68k_plain_call,
 * arch::PlainCallHook):
 * done, with an arch::CallOutcome as the call hook's (Return: answered), or declined
 * having done nothing, then the call hook takes it with the arguments as pushed. */
plain_call:
    /* stack: format $0 frame */
    movem.l %d0-%d4/%a0-%a1, -(%sp)
    /* stack: D0-D4, A0 (struct CallArguments), A1, frame */
    move.l  %sp, -(%sp)
    jsr     m68k_plain_call
    addq.l  #4, %sp
    /* an arch::CallOutcome, as the call hook's, or declined (call_outcome's table takes
     * both) */
    jmp     ([outcome_table, %pc, %d0.l*4])

/* CK_LOAD_MAPPING's common case done here (arch::PlainLoadLinks: paper §5.3, the call
 * application kernels make most), and CK_LOAD_MAPPING_RESUME's (every forwarded page
 * fault's end), as ObjectCaches::load_mapping_plain does it when every one of its
 * checks holds: no flag but write and no-cache, no signal thread, a record free; the
 * caller running in its kernel's home space; the page and the frame page-aligned; the
 * space loaded and its kernel the caller's; the caller's rights on the frame's group; a
 * page table there already and the page free in it; none of the frame's mappings a
 * receiver, fewer than CK_PAGE_MAPPINGS_MAX of them; the caller's writeback its own
 * ring's. Anything else (every refusal, the first kernel loading into another's space,
 * new tables, a message page) goes to the C++ path with every register as the call had
 * it, nothing changed: it checks and answers it. */

/* The checks load_fast and load_resume_fast share, to `no` (to `no_pop` once the
 * bucket's place is pushed) when one fails. In: d2 the page, d3 the frame (both
 * page-aligned), d4 the flags (write and no-cache; bit 4: the page goes in modified),
 * d6 the space's slot (a loaded space), a4 the calling thread, a5 the physical memory
 * map, a6 the links. Out: d3 the new record's key, d7 the space's root, a0 the group
 * links (only when the chain had heads: LOAD_COMMIT loads them for a group it joins),
 * a2 the records, a3 the descriptor's place, a4 the key's head (-1: none); stack: the
 * bucket's place. d7 the caller's kernel on the way in (LOAD_ENTRY). */
/* load_bits' fields (below). */
#define LB_PAGE 0
#define LB_NEED 2
#define LB_CLASS 3

.macro LOAD_CHECKS no, no_pop
    /* The space's kernel the caller's (check_owner's other case, the first kernel's: the
     * hook). */
    move.l  %d6, %d1
    mulu.w  #SO_STRIDE, %d1         /* d1: the space's descriptor, from the first */
    cmp.l   ([LL_SPACES, %a6], %d1.l, SO_KERNEL), %d7
    bne     \no
    /* PageGroups::allows: group g = pa >> 19 has the 2 bits at bit 2 * (g % 4) of byte
     * g / 4, which bfextu (bits counted from the first byte's most significant) finds at
     * offset 2 * (g ^ 3); read-write (3) for a writable mapping, else any (load_bits:
     * None 0 < Read 1 < ReadWrite 3). */
    mulu.w  #PG_STRIDE, %d7
    bfextu  %d3{#0:#13}, %d5        /* g */
    eori.w  #3, %d5
    add.l   %d5, %d5
    bfextu  ([LL_RIGHTS, %a6], %d7.l){%d5:#2}, %d0
    cmp.b   load_bits+LB_NEED(%pc, %d4.w*4), %d0
    bcs     \no                     /* fewer than the mapping needs */
    /* The page free (PageTable::find_free): its descriptor's place in the page table of
     * the pool's last walk when that was of this root and region (TablePool::recall),
     * else walked as forward_walk walks; a table missing: map_at adds it (the hook). */
    move.l  ([LL_SPACES, %a6], %d1.l, SO_ROOT), %d7 /* d7: the space's root */
    cmp.l   ([m68k_table_last]), %d7
    bne.s   83f
    bfextu  %d2{#0:#14}, %d0        /* the region */
    cmp.l   ([m68k_table_last], 4), %d0
    bne.s   83f
    move.l  ([m68k_table_last], 8), %d0
    bne.s   84f
83: move.l  m68k_table_bias, %d5
    movea.l %d7, %a1
    adda.l  %d5, %a1
    bfextu  %d2{#0:#7}, %d0         /* root index */
    move.l  (%a1, %d0.l*4), %d0
    btst    #1, %d0                 /* UDT: resident */
    beq     \no
    andi.w  #0xfe00, %d0
    movea.l %d0, %a1
    adda.l  %d5, %a1
    bfextu  %d2{#7:#7}, %d0         /* pointer index */
    move.l  (%a1, %d0.l*4), %d0
    btst    #1, %d0
    beq     \no
    clr.b   %d0                     /* the page table, 256-byte aligned */
    add.l   %d5, %d0
84: movea.l %d0, %a3
    bfextu  %d2{#14:#6}, %d0        /* page index */
    lea     (%a3, %d0.l*4), %a3     /* a3: the descriptor's place */
    btst    #0, 3(%a3)              /* PDT's low bit: resident */
    bne     \no                     /* mapped already */
    /* MemoryMap::check_sharing, one walk of the frame's bucket (PhysMap::bucket_of: k
     * >> 12 ^ k ^ k >> 20, times the golden ratio, its top bits): the frame's keys (the
     * frame | a class), none a receiver's (1: a message page, whose limits are
     * load_mapping's), fewer than CK_PAGE_MAPPINGS_MAX records in all, and the head of
     * the new record's key (its class: writable 2, else 0). */
    bfextu  %d3{#0:#20}, %d0
    eor.l   %d3, %d0
    bfextu  %d3{#0:#12}, %d5
    eor.l   %d5, %d0
    mulu.l  #0x9e3779b1, %d0
    move.l  LL_HASH_SHIFT(%a6), %d5 /* 32 - the bucket bits */
    lsr.l   %d5, %d0                /* the bucket */
    pea     ([PM_BUCKETS, %a5], %d0.l*4)
    /* stack: the bucket's place, D0-D7, A0-A6, frame */
    or.b    load_bits+LB_CLASS(%pc, %d4.w*4), %d3 /* d3: the new record's key */
    movea.l PM_RECORDS(%a5), %a2
    movea.w #-1, %a4                /* a4: the key's head, none yet */
    move.l  ([PM_BUCKETS, %a5], %d0.l*4), %d0 /* d0: its chain's first head */
    bmi.s   90f                     /* none: nothing to count */
    movea.l PM_LINKS(%a5), %a0
    moveq   #0, %d1                 /* d1: the frame's records */
86: move.l  %d0, %d5
    lsl.l   #4, %d5
    lea     (%a2, %d5.l), %a1       /* a head */
    move.l  (%a1), %d5
    eor.l   %d3, %d5                /* its key: the frame's when only the class bits differ */
    cmpi.l  #3, %d5
    bhi.s   88f
    btst    #0, %d5
    bne     \no_pop                 /* a receiver's */
    tst.l   %d5
    bne.s   87f
    movea.l %d0, %a4                /* the new record's key */
87: move.l  %d0, %d5
    add.l   %d5, %d5
    add.l   %d0, %d5
    add.w   GL_OTHERS(%a0, %d5.l*2), %d1
    addq.w  #1, %d1                 /* its group's records */
88: move.l  DR_LINK(%a1), %d0       /* the next head */
    tst.l   %d0
    bpl.s   86b                     /* kNone ends the chain */
    cmpi.w  #ABI_CK_PAGE_MAPPINGS_MAX, %d1
    bcc     \no_pop                 /* CK_E_SHARED */
90:
.endm

/* Every check held: the load, with LOAD_CHECKS' registers. The translation
 * (map_page_at): the frame, resident, write-protected (software dirty tracking, mmu.cpp:
 * a writable page carries UR and its first write sets M) unless it goes in written (U
 * and M set instead), copyback or, with CK_MAP_NOCACHE, noncachable serialized; its tag
 * the record the insert takes, the next free one. Then that record and the space's
 * counts. Keeps d2, d6; pops the bucket's place. */
.macro LOAD_COMMIT
    move.l  PM_FREE(%a5), %d0       /* d0: the new record */
    move.l  %d0, ([LL_TAGGED, %a6])
    move.l  %d3, %d5
    andi.w  #0xf000, %d5
    or.w    load_bits+LB_PAGE(%pc, %d4.w*4), %d5
    move.l  %d5, (%a3)
    move.l  %d0, 256(%a3)           /* the tag, kPageTagOffset words on */
    move.l  %a3, %d5                /* its table's count (TableBlock: 3 bytes a block) */
    sub.l   m68k_table_window, %d5
    lsr.l   #8, %d5
    movea.l m68k_table_blocks, %a1
    adda.l  %d5, %a1
    addq.b  #1, (%a1, %d5.l*2)
    cmp.l   m68k_current_root, %d7  /* the ATC may hold the page's failed translation */
    bne.s   91f
    movea.l %d2, %a1
    pflush  (%a1)
91: /* The record (PhysMap::insert_at at the walk's place): the next free one, its key,
     * dependent (the page | kWritable, the key's class) and context (the space); first
     * on its bucket's chain when its key has no head (its ring is itself alone already,
     * as every free record's), else last on the head's ring. */
    move.l  %d0, %d5
    lsl.l   #4, %d5
    lea     (%a2, %d5.l), %a1       /* the record */
    move.l  DR_LINK(%a1), PM_FREE(%a5)
    addq.l  #1, PM_USED(%a5)
    move.l  %d3, (%a1)+
    moveq   #3, %d5
    and.l   %d3, %d5
    or.l    %d2, %d5
    move.l  %d5, (%a1)+
    move.l  %d6, (%a1)+
    movea.l (%sp)+, %a2             /* the bucket's place */
    /* stack: D0-D7, A0-A6, frame */
    move.l  %a4, %d5
    bpl.s   92f
    move.l  (%a2), (%a1)            /* a head: its link, the chain */
    move.l  %d0, (%a2)
    bra.s   93f
92: moveq   #-1, %d1
    move.l  %d1, (%a1)              /* one of a group: on its ring only */
    movea.l PM_LINKS(%a5), %a0
    mulu.w  #6, %d5
    lea     (%a0, %d5.l), %a2       /* the head's links (GroupLinks: 6 bytes) */
    move.l  %d0, %d5
    mulu.w  #6, %d5
    lea     (%a0, %d5.l), %a1       /* the record's */
    move.w  GL_PREV(%a2), %d1       /* the ring's tail */
    move.w  %a4, GL_NEXT(%a1)
    move.w  %d1, GL_PREV(%a1)
    clr.w   GL_OTHERS(%a1)
    mulu.w  #6, %d1
    move.w  %d0, GL_NEXT(%a0, %d1.l)
    move.w  %d0, GL_PREV(%a2)
    addq.w  #1, GL_OTHERS(%a2)
93: /* The space's counts (MemoryMap::record): its lowest mapping, its mappings. */
    move.l  %d6, %d5
    lsl.l   #4, %d5                 /* SpaceCounts: 16 bytes */
    tst.l   ([LL_COUNTS, %a6], %d5.l, SC_MAPPINGS)
    beq.s   94f
    cmp.l   ([LL_COUNTS, %a6], %d5.l, SC_LOW), %d2
    bcc.s   95f
94: move.l  %d2, ([LL_COUNTS, %a6], %d5.l, SC_LOW)
95: addq.l  #1, ([LL_COUNTS, %a6], %d5.l, SC_MAPPINGS)
.endm

/* The first checks of both: the links given, the flags, no signal thread, a record
 * free, the caller running in its kernel's home space, its writeback its own ring's,
 * the page and the frame page-aligned; to `no`. Out: a4 the thread, a5 the physical
 * memory map, a6 the links; d1 kept, d0, d5, d7, a0, a1 used. */
.macro LOAD_ENTRY no
    lea     m68k_plain_load_links, %a6
    movea.l LL_PHYSMAP(%a6), %a5    /* a5: the physical memory map (not given: a stand-in
                                     * with no record free, user_mode.cpp) */
    tst.l   PM_FREE(%a5)
    bmi     \no                     /* no record free: a victim's way (first: it pays least) */
    moveq   #~(ABI_CK_MAP_WRITE + ABI_CK_MAP_NOCACHE), %d0
    and.l   %d4, %d0
    bne     \no                     /* a lock, message page, modified page or bad flag */
    tst.l   %a0
    bne     \no                     /* a signal thread */
    move.l  ([m68k_fast_running]), %d0
    beq     \no
    movea.l %d0, %a4                /* a4: the calling thread */
    tst.b   ([T_SPACE, %a4], AS_CALLS)
    beq     \no                     /* not in its kernel's home: not a call */
    /* Writeback::must_drain: the first kernel's records, or any before there is one, go
     * to its own ring; another kernel's too while its ring is not overflowing and has
     * room for a thread's record (Writeback::route's trial take of CK_WB_THREAD_SLOTS,
     * RingRoom's: a record never wraps, a pad fills the ring's end first). Else route
     * changes the ring's state or routes it: the hook's. */
    move.l  T_KERNEL(%a4), %d7
    move.l  ([LL_WB_FIRST, %a6]), %d0
    cmp.l   %d7, %d0
    beq.s   80f
    addq.l  #1, %d0                 /* kNoSlot */
    beq.s   80f
    mulu.w  #WB_RING_STRIDE, %d7
    movea.l LL_WB_RINGS(%a6), %a1
    adda.l  %d7, %a1                /* its Ring */
    tst.b   WB_OVERFLOW(%a1)
    bne     \no
    move.l  WB_BASE(%a1), %d0
    beq     \no
    movea.l %d0, %a0                /* its header, where RAM lies (physical_memory) */
    move.l  RH_TAIL(%a0), %d0       /* the kernel's tail, read once */
    beq     \no                     /* out of the ring: no room (route: overflow) */
    move.l  WB_SLOTS(%a1), %d5
    cmp.l   %d5, %d0
    bcc     \no
    move.l  WB_HEAD(%a1), %d7       /* free = usable - 1 - (head + usable - tail) % usable */
    subq.l  #1, %d5                 /* usable: slots - 1 */
    add.l   %d5, %d7
    sub.l   %d0, %d7
    divul.l %d5, %d0:%d7            /* d0: used */
    sub.l   %d0, %d5
    subq.l  #1, %d5                 /* d5: free */
    move.l  WB_SLOTS(%a1), %d7
    sub.l   WB_HEAD(%a1), %d7       /* to the ring's end */
    moveq   #ABI_CK_WB_THREAD_SLOTS, %d0
    cmp.l   %d0, %d7
    bcc.s   79f
    add.l   %d7, %d0                /* a pad first */
79: cmp.l   %d5, %d0
    bhi     \no                     /* no room: route would mark it overflowing */
    move.l  T_KERNEL(%a4), %d7
80: /* d7: the caller's kernel */
    move.l  %d2, %d0
    or.l    %d3, %d0
    andi.w  #0x0fff, %d0
    bne     \no                     /* not page-aligned */
.endm

load_fast:
    /* stack: format $0 frame; d0 the operation, d1 the space, d2 the page, d3 the frame,
     * d4 the flags, a0 the signal thread */
    movem.l %d0-%d7/%a0-%a6, -(%sp)
    /* stack: D0-D7, A0-A6 (the declines restore them all), frame */
    LOAD_ENTRY 9f
    /* The space (find_space): the identifier id_of makes of the slot (its type, its
     * generation, never 0, and the slot; a power of two of slots), of a loaded slot. */
    move.l  %d1, %d6
    and.l   LL_SPACE_MASK(%a6), %d6 /* d6: the space's slot */
    tst.b   ([LL_SPACE_META, %a6], %d6.l*META_STRIDE, META_LOADED)
    beq     9f
    move.l  ([LL_SPACE_META, %a6], %d6.l*META_STRIDE, META_GEN), %d0
    move.l  LL_SPACE_BITS(%a6), %d5
    lsl.l   %d5, %d0
    or.l    %d6, %d0
    bset    #30, %d0                /* ObjectType::AddressSpace */
    cmp.l   %d1, %d0
    bne     9f
    LOAD_CHECKS 9f, 8f
    LOAD_COMMIT
    /* The caller the current thread, the call counted; CK_OK, value 0. */
    move.l  ([m68k_fast_running]), ([m68k_fast_current])
    addq.l  #1, m68k_fast_calls+4   /* a u64, high word first */
    bcc.s   1f
    addq.l  #1, m68k_fast_calls
1:  movem.l (%sp)+, %d0-%d7/%a0-%a6
    /* stack: frame */
    moveq   #0, %d0
    moveq   #0, %d1
    rte
8:  addq.l  #4, %sp                 /* the bucket's place */
9:  movem.l (%sp)+, %d0-%d7/%a0-%a6
    /* stack: frame; every register as the call had it */
    bra     load_plain

/* What the flags make of a load, by d4 (CK_MAP_WRITE bit 0, CK_MAP_NOCACHE bit 2, bit 4
 * the page written; the other entries are never read), 4 bytes each. LB_PAGE: the page
 * descriptor's bits: resident (PDT 01), write-protected (WP) or, writable, UR (software
 * dirty tracking) and WP or, written, U and M; copyback (CM 01) or, with
 * CK_MAP_NOCACHE, noncachable serialized (CM 10); written without write as without it
 * (map_at marks only a writable page). LB_NEED: the rights it needs (PageGroups::allows:
 * Read 1, ReadWrite 3). LB_CLASS: its record's class (writable 2, else plain 0), also
 * its dependent's kWritable. */
.macro LOAD_BITS page, need, class
    .word   \page
    .byte   \need, \class
.endm
    .align  2
load_bits:
    LOAD_BITS 0x0025, 1, 0          /* 0: read-only */
    LOAD_BITS 0x0825, 3, 2          /* 1: writable */
    .rept   2
    LOAD_BITS 0, 0, 0
    .endr
    LOAD_BITS 0x0045, 1, 0          /* 4: read-only, no cache */
    LOAD_BITS 0x0845, 3, 2          /* 5: writable, no cache */
    .rept   10
    LOAD_BITS 0, 0, 0
    .endr
    LOAD_BITS 0x0025, 1, 0          /* 16: read-only (written: as 0) */
    LOAD_BITS 0x0839, 3, 2          /* 17: writable, written */
    .rept   2
    LOAD_BITS 0, 0, 0
    .endr
    LOAD_BITS 0x0045, 1, 0          /* 20: read-only, no cache (as 4) */
    LOAD_BITS 0x0859, 3, 2          /* 21: writable, no cache, written */

/* CK_LOAD_MAPPING_RESUME's common case: a handler's load of the page its thread faulted
 * on, in the thread's own space (its home_space), then its resume (resume_check's: in an
 * exception, first in line, no signal queued, its interrupted context one continue_in
 * enters) straight into that context. The page goes in modified when the thread stopped
 * writing to it (arch::stopped_writing: a format $7 access error of a data write, not a
 * read or a fetch, in the page). Declined as load_fast declines: to load_resume. */
load_resume_fast:
    /* stack: format $0 frame; the call's registers as load_fast's */
    movem.l %d0-%d7/%a0-%a6, -(%sp)
    /* stack: D0-D7, A0-A6, frame */
    LOAD_ENTRY 9f
    cmpi.b  #RUNNING_HANDLER, T_RUNNING(%a4)
    bcs     9f                      /* not in an exception */
    IS_FRONT %a4, 9f
    move.l  T_SLOT(%a4), %d1
    mulu.l  m68k_fast_signals_stride, %d1
    tst.l   ([m68k_fast_signals], %d1.l)
    bne     9f                      /* signals queued: the hook delivers them */
    movea.l T_INTERRUPTED(%a4), %a1 /* the context it resumes */
    RESUMABLE %a1, 9f
    cmpi.w  #0x7008, CTX_FRAME+6(%a1) /* format $7, vector 2 */
    bne.s   2f
    move.w  CTX_FRAME+12(%a1), %d0  /* the SSW */
    btst    #8, %d0
    bne.s   2f                      /* RW: a read */
    btst    #0, %d0
    bne.s   1f                      /* TM odd: data */
    andi.w  #6, %d0
    bne.s   2f                      /* TM 2, 4, 6: a fetch */
1:  move.l  CTX_FRAME+20(%a1), %d0  /* the fault address */
    andi.w  #0xf000, %d0
    cmp.l   %d2, %d0
    bne.s   2f
    bset    #4, %d4                 /* written */
2:  move.l  T_HOME_SPACE(%a4), %d6  /* d6: its own space, loaded while it is */
    LOAD_CHECKS 9f, 8f
    LOAD_COMMIT
    /* Out of the handler (ThreadObject::leave_handler, as resume_check): its state, the
     * interrupted context running in its own space; the current thread, the call
     * counted. a0: the thread; a2: its space; a3: the context. */
    movea.l ([m68k_fast_running]), %a0
    subq.b  #RUNNING_HANDLER, T_RUNNING(%a0)
    movea.l T_INTERRUPTED(%a0), %a3
    move.l  %a3, T_CONTEXT(%a0)
    mulu.w  #SO_STRIDE, %d6
    lea     ([LL_SPACES, %a6], %d6.l, SO_TABLES), %a2 /* ObjectTables::tables_of */
    move.l  %a2, T_SPACE(%a0)
    move.l  %a0, ([m68k_fast_current])
    addq.l  #1, m68k_fast_calls+4   /* a u64, high word first */
    bcc.s   3f
    addq.l  #1, m68k_fast_calls
3:  /* continue_in, as resume_check: its space, its FPU state (the handler's dropped),
     * only the condition codes of its SR; entered from the kernel stack. */
    move.b  AS_CALLS(%a2), m68k_call_gate
    move.l  AS_TABLES(%a2), %d0
    SWITCH_SPACE %d0
    cmpa.l  m68k_fpu_owner, %a3
    beq.s   7f
    lea     T_HANDLER(%a0), %a4
    cmpa.l  m68k_fpu_owner, %a4
    bne.s   6f
    RESTORE_FPU %a3
    bra.s   7f
6:  SWITCH_FPU %a3
7:  andi.w  #0x001f, CTX_FRAME(%a3)
    movea.l m68k_kernel_sp, %sp
    /* stack: the callee-saved registers of m68k_run_user's caller */
    movea.l %a3, %a0
    bra     enter_context
8:  addq.l  #4, %sp                 /* the bucket's place */
9:  movem.l (%sp)+, %d0-%d7/%a0-%a6
    /* stack: frame; every register as the call had it */
    bra     load_resume

/* CK_LOAD_MAPPING's common case (m68k_load_plain, arch::PlainLoadHook): answered, or
 * declined having done nothing, then load_resume takes it with the arguments as pushed. */
load_plain:
    /* stack: format $0 frame */
    movem.l %d0-%d4/%a0-%a1, -(%sp)
    /* stack: D0-D4, A0 (struct CallArguments), A1, frame */
    move.l  %sp, -(%sp)
    jsr     m68k_load_plain
    addq.l  #4, %sp
    tst.l   %d0
    bne.s   load_resume_pushed
    /* Answered: status and value are in the saved D0 and D1 */
    movem.l (%sp)+, %d0-%d4/%a0-%a1
    rte

/* CK_LOAD_MAPPING_RESUME (the end of every forwarded page fault) and CK_LOAD_MAPPING:
 * the load-resume hook (m68k_load_resume) does the call with the arguments as call_hook
 * pushes them and answers as the call hook does, or declines having done nothing (the
 * call hook takes it), or (CK_LOAD_MAPPING_RESUME) has loaded and resumed: the running thread's context is then entered from
 * here when continue_in's checks hold, else by the run loop (call_switched). */
load_resume:
    /* stack: format $0 frame */
    movem.l %d0-%d4/%a0-%a1, -(%sp)
load_resume_pushed:
    /* stack: D0-D4, A0 (struct CallArguments), A1, frame */
    move.l  %sp, -(%sp)
    jsr     m68k_load_resume
    addq.l  #4, %sp
    cmpi.l  #LOAD_RESUME_CONTINUE, %d0
    bcs     call_outcome            /* an arch::CallOutcome: as the call hook's */
    bne     call_hook_pushed        /* declined: the call hook's, the arguments as pushed */
    /* Loaded and resumed; the call's registers are dead. a0: the thread; a2: its
     * space; a3: the context. */
    movea.l ([m68k_fast_running]), %a0 /* (the hook found it running) */
    IS_FRONT %a0, call_switched
    movea.l T_CONTEXT(%a0), %a3
    RESUMABLE %a3, call_switched
    movea.l T_SPACE(%a0), %a2
    move.b  AS_CALLS(%a2), m68k_call_gate
    move.l  AS_TABLES(%a2), %d0
    SWITCH_SPACE %d0
    SWITCH_FPU %a3
    andi.w  #0x001f, CTX_FRAME(%a3) /* only the condition codes of its SR */
    movea.l %a3, %a0
    movea.l m68k_kernel_sp, %sp
    /* stack: the callee-saved registers of m68k_run_user's caller */
    bra     enter_context

/* The forward fast path (m68k_exception's plan): the handler's frame is on its stack but
 * for the thread's registers, which are still in the context it trapped from; the
 * thread is in its handler, the home space and its FPU state switched. */
forward_fast:
    /* stack: down to m68k_kernel_sp */
    lea     m68k_plan, %a0
    movea.l PLAN_REGISTERS(%a0), %a1
    movea.l m68k_user_context, %a2
    movea.l PLAN_CONTEXT(%a0), %a3
    movea.l PLAN_SP(%a0), %a4
    movea.l PLAN_PC(%a0), %a5
    movea.l PLAN_FRAME(%a0), %a6
enter_handler:
    /* a1: the frame's registers; a2: the context the thread trapped from; a3: its
     * handler context; a4, a5, a6: the handler's SP, PC and A0 (its frame); stack: down
     * to m68k_kernel_sp. */
    movem.l CTX_D0(%a2), %d0-%d7
    movem.l %d0-%d7, (%a1)
    movem.l CTX_A0(%a2), %d0-%d7    /* A0-A6 and USP */
    movem.l %d0-%d7, REGS_A0(%a1)
    move.l  CTX_FRAME+2(%a2), REGS_PC(%a1)
    moveq   #0x1f, %d0
    and.w   CTX_FRAME(%a2), %d0     /* the condition codes of its SR */
    move.w  %d0, REGS_SR(%a1)
    clr.w   REGS_SR+2(%a1)
    /* Into the handler: a format $0 frame at its PC with a user SR, USP and A0 as
     * given, every other register zero; its context saves the next entry. */
    move.l  %a3, m68k_user_context
    move.l  %a4, %usp
    clr.w   -(%sp)                  /* format $0 */
    move.l  %a5, -(%sp)
    clr.w   -(%sp)                  /* SR: user mode, interrupts enabled */
    /* stack: the frame, then the callee-saved registers of m68k_run_user's caller */
    movea.l %a6, %a0
    movem.l zero_registers(%pc), %d0-%d7/%a1-%a6
    rte

/* A trap or fault forwarded from the card of the context it came from
 * (arch::ExceptionCard): the handler's stack page found writable by a walk of the home
 * space's tables, the state change asked of m68k_forward_card, the frame written here.
 * Whatever the card cannot answer goes to the hooks (m68k_exception) having changed
 * nothing. */
forward_card:
    /* d5: the trap number, or -1 for the fault m68k_exception decoded, -2 for the one
     * access_error decoded (m68k_report holds either's words); stack: down to
     * m68k_kernel_sp. Every register is free: the thread's are in its context. */
    movea.l m68k_user_context, %a0
forward_card_context:
    /* (from trap_user, a0 the context already) */
    movea.l CTX_CARD(%a0), %a5
    move.l  CARD_FRAME(%a5), %d7
    beq     user_hooks              /* the handler's stack is not in one page */
    move.l  ([CARD_HOME_ROOT, %a5]), %d6
    beq     user_hooks              /* its kernel has no home space */
    move.l  %d7, %d3
    subq.l  #HSTACK_FRAME, %d3      /* the handler's SP: where its stack starts */
    /* d3: the handler's SP; d5: as above; d6: the home space's root; d7: the
     * frame; a0: the context; a5: the card. The page descriptor's place: the one the
     * context's last walk found, when it was of this root and no table was released
     * or moved since (the pool's generation), else a walk (forward_walk). */
    move.l  ([m68k_table_generation]), %d2 /* d2: the pool's generation */
    cmp.l   CTX_WALK_ROOT(%a0), %d6
    bne     forward_walk
    cmp.l   CTX_WALK_GEN(%a0), %d2
    bne     forward_walk
    movea.l CTX_WALK_ENTRY(%a0), %a1
forward_walked:
    move.l  (%a1), %d1              /* the page descriptor */
    /* Written as is only when resident (PDT x1), a user page, not write-protected, its
     * used and modified bits set (software dirty tracking: a page user mode may write
     * has M set once the protection is gone); else user_write_window decides. */
    move.w  %d1, %d0
    andi.w  #0x009d, %d0            /* S, M, U, WP, PDT's low bit */
    cmpi.w  #0x0019, %d0            /* M, U, resident */
    bne     user_hooks
    bfins   %d3, %d1{#20:#12}       /* physical page | offset: RAM is reached there */
    movea.l %d1, %a4
    /* a4: the handler's stack, as the kernel reaches it. The state change: a trap's
     * here when every check of the card hook (CacheKernel::forward_from_card) holds,
     * else the hook's (9f), which may decline. a0: the context (the own one: only it
     * carries a card). */
    movea.l CARD_OWNER(%a5), %a2    /* the thread */
    cmpa.l  ([m68k_fast_running]), %a2
    bne     9f                      /* not the running thread */
    cmpa.l  T_CONTEXT(%a2), %a0
    bne     9f                      /* not what it runs */
    cmpi.b  #RUNNING_HANDLER, T_RUNNING(%a2)
    bcc     9f                      /* in an exception already */
    tst.l   %d5
    bgt.s   1f                      /* trap #1-15; -1: a fault */
    bmi.s   1f
    movea.l T_SPACE(%a2), %a1       /* trap #0 where it is a call: the call path's */
    tst.b   AS_CALLS(%a1)
    bne     9f
1:  IS_FRONT %a2, 9f                /* another thread is to run first */
    lea     T_HANDLER(%a2), %a3     /* the handler context */
    tst.b   CTX_CARRIED_SIZE0(%a3)
    bne     9f                      /* writes carried: the hook clears them */
    move.l  ([CARD_HOME_SPACE, %a5]), %d1 /* the home space (d6 its root) */
    beq     9f
    /* The thread into its handler (ThreadObject::enter_handler_directly): its state,
     * the handler context fresh (no writes carried, checked; a null FPU frame), the
     * context it leaves kept to resume, in its kernel's home space; the current
     * thread, counted as forwarded. a2: the thread; a3: the handler context. */
    addq.b  #RUNNING_HANDLER, T_RUNNING(%a2)
    clr.b   CTX_FPU(%a3)
    move.l  %a0, T_INTERRUPTED(%a2)
    move.l  %a3, T_CONTEXT(%a2)
    move.l  %d1, T_SPACE(%a2)
    move.l  %d7, T_EXC_FRAME(%a2)
    move.l  %a2, ([m68k_fast_current])
    addq.l  #1, m68k_fast_forwarded+4 /* a u64, high word first */
    bcc.s   2f
    addq.l  #1, m68k_fast_forwarded
2:  SWITCH_SPACE %d6
    /* The FPU to the handler, reset, unless its kernel declared that the handler does
     * not use it (CK_KERNEL_HANDLER_NO_FPU): then the thread's state stays in it, its
     * context still the owner, and the resume finds it there. */
    tst.l   CARD_KEEP_FPU(%a5)
    bne.s   3f
    SWITCH_FPU_RESET %a3            /* its FSAVE frame cleared above */
3:  st      m68k_call_gate          /* the handler runs in its kernel's home space */
    /* The frame, from the handler's SP: return address 0, the frame pointer, what the
     * exception was: a trap's words (CK_EXC_TRAP, its number, address and access 0) by
     * one MOVEM of zeroed registers, or the fault's as m68k_exception reported it. */
    tst.l   %d5
    bmi.s   7f
.if ABI_CK_EXC_TRAP != 0
.error "a trap's kind is written as a zeroed register"
.endif
    movem.l zero_registers(%pc), %d0-%d2/%a1-%a2
    move.l  %d7, %d1
    movem.l %d0-%d2/%d5/%a1-%a2, (%a4)
8:  /* a0: the context the thread trapped from; a3: the handler context; a4: the
     * handler's SP as the kernel reaches it; a5: the card; d7: the frame. The
     * identifiers, then the registers as enter_handler writes them, and into the
     * handler as it enters it. */
    movem.l CARD_IDS(%a5), %d0-%d2/%d4
    movem.l %d0-%d2/%d4, HSTACK_FRAME+EXC_IDS(%a4)
    movea.l %d7, %a6                /* the frame: the handler's a0 */
    movem.l CTX_D0(%a0), %d0-%d7
    movem.l %d0-%d7, HSTACK_FRAME+EXC_REGS(%a4)
    movem.l CTX_A0(%a0), %d0-%d7    /* A0-A6 and USP */
    movem.l %d0-%d7, HSTACK_FRAME+EXC_REGS+REGS_A0(%a4)
    move.l  CTX_FRAME+2(%a0), HSTACK_FRAME+EXC_REGS+REGS_PC(%a4)
    clr.l   HSTACK_FRAME+EXC_REGS+REGS_SR(%a4)  /* SR and the reserved word */
    move.b  CTX_FRAME+1(%a0), HSTACK_FRAME+EXC_REGS+REGS_SR+1(%a4)
    andi.b  #0x1f, HSTACK_FRAME+EXC_REGS+REGS_SR+1(%a4) /* its condition codes */
    move.l  %a3, m68k_user_context
    lea     -HSTACK_FRAME(%a6), %a4 /* the handler's SP again, as it sees it */
    move.l  %a4, %usp
    clr.w   -(%sp)                  /* format $0 */
    move.l  CARD_HANDLER(%a5), -(%sp)
    clr.w   -(%sp)                  /* SR: user mode, interrupts enabled */
    /* stack: the frame, then the callee-saved registers of m68k_run_user's caller */
    movea.l %a6, %a0
    movem.l zero_registers(%pc), %d0-%d7/%a1-%a6
    rte
7:  clr.l   (%a4)
    move.l  %d7, 4(%a4)
    movem.l m68k_report, %d0-%d2/%d4
    movem.l %d0-%d2/%d4, HSTACK_FRAME(%a4)
    bra     8b
9:  move.l  %d5, -(%sp)
    move.l  %a5, -(%sp)
    jsr     m68k_forward_card
    addq.l  #8, %sp
    tst.l   %d0
    beq     user_hooks              /* declined: the hooks decide */
    movea.l %d0, %a3                /* the handler context */
    /* The frame: return address 0, the frame pointer, what the exception was
     * (m68k_report); then as above (the call kept a3-a5, d7, not a0). */
    clr.l   (%a4)
    move.l  %d7, 4(%a4)
    movem.l m68k_report, %d0-%d2/%d4
    movem.l %d0-%d2/%d4, HSTACK_FRAME(%a4)
    movea.l m68k_user_context, %a0
    bra     8b
forward_walk:
    /* The walk (page_table.h): root, pointer and page table, each read through the
     * pool's window (m68k_table_bias); the place kept in the context. */
    move.l  m68k_table_bias, %d4
    movea.l %d6, %a1
    adda.l  %d4, %a1
    bfextu  %d3{#0:#7}, %d1         /* root index */
    move.l  (%a1, %d1.l*4), %d1
    btst    #1, %d1                 /* UDT: the pointer table is resident */
    beq     user_hooks
    andi.w  #0xfe00, %d1
    movea.l %d1, %a1
    adda.l  %d4, %a1
    bfextu  %d3{#7:#7}, %d1         /* pointer index */
    move.l  (%a1, %d1.l*4), %d1
    btst    #1, %d1
    beq     user_hooks
    clr.b   %d1                     /* the page table, 256-byte aligned */
    movea.l %d1, %a1
    adda.l  %d4, %a1
    bfextu  %d3{#14:#6}, %d1        /* page index */
    lea     (%a1, %d1.l*4), %a1     /* the page descriptor's place, kept */
    cmpi.l  #-1, %d2
    beq     forward_walked          /* unless the generations ran out (TablePool::kNoWalks) */
    move.l  %d6, CTX_WALK_ROOT(%a0)
    move.l  %d2, CTX_WALK_GEN(%a0)
    move.l  %a1, CTX_WALK_ENTRY(%a0)
    bra     forward_walked

zero_registers:
    .rept   14
    .long   0
    .endr

/* Enter: a hook made the running thread go on in another of its contexts
 * (m68k_next_context, its address space and FPU state already switched): enter it
 * straight from here, leaving the run loop where it waits in m68k_run_user. */
enter_next:
    movea.l m68k_kernel_sp, %sp
    /* stack: the callee-saved registers of m68k_run_user's caller */
    movea.l m68k_next_context, %a0
    bra.s   enter_context

/* u32 m68k_run_user(UserContext* context)
 * Enters user mode with the state in *context (its SR must be a user SR). Returns, with
 * interrupts masked, when the thread next enters the kernel: 0 when m68k_user_context
 * then holds the state it entered with (*context, or another context of the same
 * thread that a hook entered on the way: enter_next), 1 when a hook did what the entry
 * asked and the run loop decides what runs next (a call that switched the thread to
 * another context or must give way to another thread, its context then saved after the
 * call; a trap forwarded). Called with interrupts masked. */
    .globl  m68k_run_user
m68k_run_user:
    /* stack: return PC, context */
    movea.l 4(%sp), %a0
    movem.l %d2-%d7/%a2-%a6, -(%sp)
    /* stack: D2-D7, A2-A6 (callee-saved), return PC, context */
    move.l  %sp, m68k_kernel_sp
enter_context:
    /* a0: the context to enter; stack: down to m68k_kernel_sp */
    move.l  %a0, m68k_user_context
    /* Rebuild the frame: format words first (highest address), then the 8-byte head. */
    moveq   #0, %d0
    move.b  CTX_FRAME_FORMAT(%a0), %d0
    beq.s   4f                      /* format $0 below vector 64: no more words */
    lsr.b   #4, %d0
    cmpi.b  #7, %d0
    beq.s   3f
    move.b  frame_extra_longs(%pc, %d0.w), %d0
    lea     CTX_FRAME_EXTRA(%a0, %d0.w*4), %a1
    bra.s   2f
1:  move.l  -(%a1), -(%sp)
2:  dbra    %d0, 1b
    bra.s   4f
3:  /* format $7: its 13 longwords at once (movem keeps their order in memory) */
    movem.l CTX_FRAME_EXTRA(%a0), %d0-%d7/%a1-%a5
    movem.l %d0-%d7/%a1-%a5, -(%sp)
4:  move.l  CTX_FRAME+4(%a0), -(%sp)    /* PC low word, format/vector */
    move.l  CTX_FRAME(%a0), -(%sp)      /* SR, PC high word */
    /* stack: frame, then the callee-saved registers */
    movea.l CTX_USP(%a0), %a1
    move.l  %a1, %usp
    movem.l CTX_D0(%a0), %d0-%d7/%a0-%a6
    rte

    .bss
    .align  4
    .globl  m68k_kernel_sp, m68k_user_context, m68k_call_done, m68k_next_context
    .globl  m68k_rtc_time_low, m68k_clock_origin_low, m68k_call_gate
m68k_kernel_sp:     .long 0     /* SSP while a thread runs: where its entry comes back */
m68k_user_context:  .long 0     /* the running thread's UserContext */
m68k_next_context:  .long 0     /* what enter_next enters (arch::continue_in) */
m68k_rtc_time_low:  .long 0     /* the RTC's low-word register, once the clock runs */
m68k_clock_origin_low: .long 0  /* its low word when arch::clock_ns() was 0 */
m68k_call_done:     .byte 0     /* user_entry is saving a call's context, not a trap's */
m68k_call_gate:     .byte 0     /* trap #0 is a call in the running context's space */

    .section .way_down, "aw", @nobits
    .align  4
m68k_trapped_sp:    .long 0     /* the boot stack's SP at a supervisor TRAPcc */
