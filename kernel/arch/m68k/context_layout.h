/* Byte offsets into struct UserContext (user_context.h), shared with entry.S, which
 * cannot see C++ types. user_context.h checks every one with static_assert. */
#pragma once

#define CTX_D0 0
#define CTX_A0 32
#define CTX_A1 36
#define CTX_USP 60
#define CTX_FRAME 64 /* the exception frame as stacked: SR, PC, format/vector, extra */
#define CTX_FRAME_FORMAT (CTX_FRAME + 6)
#define CTX_FRAME_EXTRA (CTX_FRAME + 8)
#define CTX_FRAME_BYTES 60 /* the largest 68040 frame, format $7 */
#define CTX_VALUE_CALL 356 /* CK_SET_THREAD_VALUE's call number and value (user_mode.cpp checks) */
#define CTX_VALUE 360
#define CTX_CARD 364      /* the card a thread's own context carries (m68k ABI layout) */
#define CTX_WALK_ROOT 368 /* forward_card's last walk (user_context.h) */
#define CTX_WALK_GEN 372
#define CTX_WALK_ENTRY 376
#define CTX_FPU 124           /* FpuState: the FSAVE frame (its first byte 0: a null frame) */
#define CTX_FPU_CONTROL 224   /* FPCR, FPSR, FPIAR */
#define CTX_FPU_REGS 236      /* FP0-FP7 */
#define CTX_CARRIED_SIZE0 342 /* carried[0].size: 0, no writes carried */
#define CTX_CARRIED_SIZE1 354 /* carried[1].size */

/* The call numbers call_entry answers itself (ck/abi.h, which assembly cannot include;
 * user_mode.cpp checks them). CK_NULL is 0. */
#define ABI_CK_QUERY 17
#define ABI_CK_QUERY_TIME 4
#define ABI_CK_LOAD_SPACE 3
#define ABI_CK_LOAD_THREAD 5
#define ABI_CK_UNLOAD_THREAD 6
#define ABI_CK_LOAD_MAPPING 7
#define ABI_CK_UNLOAD_MAPPING 8
#define ABI_CK_BLOCK 18
#define ABI_CK_WAKE 19
#define ABI_CK_SIGNAL 22
#define ABI_CK_WAIT_SIGNAL 24
#define ABI_CK_RESUME 14
#define ABI_CK_LOAD_MAPPING_RESUME 15 /* with LOAD_RESUME_CONTINUE, arch::LoadResume::Continue */
#define LOAD_RESUME_CONTINUE 6
#define PLAIN_CALL_DECLINED 7  /* arch::PlainCall::Declined */
#define CALL_TABLE_OPS 27      /* call_entry's table: operations 0..26 (the rest go to the call hook) */
#define ABI_CK_RESUME_RESULT 4 /* its flag: d2 is the resumed thread's d0 */
#define ABI_CK_MAP_WRITE 1     /* CK_LOAD_MAPPING's flags load_fast takes */
#define ABI_CK_MAP_NOCACHE 4
#define ABI_CK_PAGE_MAPPINGS_MAX 256
#define ABI_CK_WB_THREAD_SLOTS 8 /* a thread's writeback record's slots (Writeback::route's trial) */

/* Byte offsets into struct ForwardPlan (user_mode.cpp, which checks them): what the
 * forward fast path in entry.S enters. */
#define PLAN_REGISTERS 0
#define PLAN_PC 4
#define PLAN_SP 8
#define PLAN_FRAME 12
#define PLAN_CONTEXT 16
/* Byte offsets into struct arch::ExceptionCard (arch.h; user_mode.cpp checks them). */
#define CARD_HANDLER 0
#define CARD_FRAME 4
#define CARD_IDS 8 /* thread, its cookie, space, its cookie: as in ck_exception */
#define CARD_HOME_ROOT 24
#define CARD_OWNER 28
#define CARD_HOME_SPACE 32
#define CARD_OWN_SPACE 36
#define CARD_KEEP_FPU 40
/* The handler's stack (forwarding.cpp's HandlerStack): return address, frame pointer,
 * then struct ck_exception, whose registers start at EXC_REGS. */
#define HSTACK_FRAME 8
#define EXC_IDS 16
#define EXC_REGS 32
#define ABI_CK_EXC_TRAP 0
#define ABI_CK_EXC_MAPPING 1 /* entry.S's access_error reports these (user_mode.cpp checks) */
#define ABI_CK_ACCESS_READ 0
#define ABI_CK_ACCESS_WRITE 1
#define ABI_CK_ACCESS_EXECUTE 2
/* ck_registers: D0-D7, A0-A7, PC, SR (ck/abi.h) */
#define REGS_A0 32
#define REGS_PC 64
#define REGS_SR 68
