/* signal_fpu: a signal a process sends itself (its kill's own signal, acted on at the
 * call's return) saves and restores the FPU as Linux/m68k's frames do. The plain frame
 * holds FP0-FP1 and the control registers (sc_fpregs, sc_fpcntl), the rt frame all eight
 * data registers (uc_mcontext.fpregs); the handler sees there what the FPU held, and its
 * return gives them back whatever the handler did to the FPU, with its edits to the
 * frame taken. FP2-FP7 are callee-saved: a plain frame does not hold them, and a handler
 * that uses them restores them itself. */
/* oracle-none: qemu-m68k's plain frame holds no FPU registers (its setup_sigcontext saves
 * none), so the check is written from Linux 6.1's arch/m68k/kernel/signal.c (save_fpu_state,
 * restore_fpu_state, rt_save_fpu_state, rt_restore_fpu_state). */
#include "check.h"
#include <signal.h>

enum { kRoundDown = 0x20, kRoundUp = 0x30 }; /* FPCR's rounding field (bits 5-4) */
enum { kScFpregs = 32, kScFpcntl = 56 };      /* struct sigcontext (2-byte aligned longs) */
enum { kUcFpcntl = 96, kUcFpregs = 108 };     /* struct ucontext's mcontext fpregs */

/* int fp_kill(int pid, int sig, const long *expect): FP0-FP7 = 1..8 and FPCR = kRoundDown,
 * then kill(pid, sig) by its trap, no C code between; returns a bit for each FPn that is
 * not expect[n] after it, bit 8 when FPCR is not expect[8]. */
int fp_kill(int pid, int sig, const long *expect);
__asm__(".text\n.globl fp_kill\nfp_kill:\n"
        "\tmovem.l %d2-%d3,-(%sp)\n"
        "\tfmovem.x %fp2-%fp7,-(%sp)\n"
        "\tfmove.l #1,%fp0\n\tfmove.l #2,%fp1\n\tfmove.l #3,%fp2\n\tfmove.l #4,%fp3\n"
        "\tfmove.l #5,%fp4\n\tfmove.l #6,%fp5\n\tfmove.l #7,%fp6\n\tfmove.l #8,%fp7\n"
        "\tmoveq #0x20,%d0\n\tfmove.l %d0,%fpcr\n"
        "\tmove.l 84(%sp),%d1\n\tmove.l 88(%sp),%d2\n\tmoveq #37,%d0\n\ttrap #0\n"
        "\tfmove.l %fpcr,%d3\n\tmove.l 92(%sp),%a0\n\tmoveq #0,%d0\n"
        "\tfcmp.l (%a0),%fp0\n\tfbeq 1f\n\tbset #0,%d0\n"
        "1:\tfcmp.l 4(%a0),%fp1\n\tfbeq 1f\n\tbset #1,%d0\n"
        "1:\tfcmp.l 8(%a0),%fp2\n\tfbeq 1f\n\tbset #2,%d0\n"
        "1:\tfcmp.l 12(%a0),%fp3\n\tfbeq 1f\n\tbset #3,%d0\n"
        "1:\tfcmp.l 16(%a0),%fp4\n\tfbeq 1f\n\tbset #4,%d0\n"
        "1:\tfcmp.l 20(%a0),%fp5\n\tfbeq 1f\n\tbset #5,%d0\n"
        "1:\tfcmp.l 24(%a0),%fp6\n\tfbeq 1f\n\tbset #6,%d0\n"
        "1:\tfcmp.l 28(%a0),%fp7\n\tfbeq 1f\n\tbset #7,%d0\n"
        "1:\tcmp.l 32(%a0),%d3\n\tbeq.s 1f\n\tbset #8,%d0\n"
        "1:\tfmove.l #0,%fpcr\n"
        "\tfmovem.x (%sp)+,%fp2-%fp7\n"
        "\tmovem.l (%sp)+,%d2-%d3\n\trts\n");

/* An extended-precision register as the frame holds it (12 bytes), as a long. */
static long frame_value(const unsigned char *at) {
    long v;
    __asm__ volatile("fmove.x (%1),%%fp0\n\tfmove.l %%fp0,%0" : "=d"(v) : "a"(at) : "fp0", "memory");
    return v;
}
static void set_frame_value(unsigned char *at, long v) {
    __asm__ volatile("fmove.l %1,%%fp0\n\tfmove.x %%fp0,(%0)" : : "a"(at), "d"(v) : "fp0", "memory");
}
static unsigned long frame_word(const unsigned char *at) {
    unsigned long v;
    memcpy(&v, at, 4);
    return v;
}

/* What the FPU holds in the handler: clobbered, FP0-FP1 and the rounding mode (FP2-FP7
 * too: the compiler saves and restores those it is told are clobbered, as a C handler
 * does). */
static void clobber(void) {
    __asm__ volatile("fmove.l #-9,%%fp0\n\tfmove.l #-9,%%fp1\n\tfmove.l #-9,%%fp2\n\tfmove.l #-9,%%fp7\n\t"
                     "fmove.l %0,%%fpcr"
                     :
                     : "d"(kRoundUp)
                     : "fp0", "fp1", "fp2", "fp7");
}

/* Which of the frame's three control words is FPCR: Linux stores them with FMOVEM.L
 * (save_fpu_state), FPCR first on the 68040; QEMU's FMOVEM.L stores them the other way
 * round, for Linux's frames too. Asked of the CPU the same way. */
static int fpcr_word(void) {
    unsigned long buf[3], saved;
    __asm__ volatile("fmove.l %%fpcr,%0" : "=d"(saved));
    __asm__ volatile("fmove.l %1,%%fpcr\n\tfmovem.l %%fpcr/%%fpsr/%%fpiar,(%0)\n\tfmove.l %2,%%fpcr"
                     :
                     : "a"(buf), "d"(0x10), "d"(saved)
                     : "memory");
    return buf[0] == 0x10 ? 0 : 2;
}
static int fpcr_at;

static int edit;
static long seen[9];
static int handled;

static void plain(int sig, int code, unsigned char *sc) {
    (void)sig;
    (void)code;
    seen[0] = frame_value(sc + kScFpregs);
    seen[1] = frame_value(sc + kScFpregs + 12);
    seen[8] = (long)frame_word(sc + kScFpcntl + 4 * fpcr_at);
    clobber();
    if (edit) set_frame_value(sc + kScFpregs + 12, 42); /* FP1 */
    handled++;
}

static void with_info(int sig, siginfo_t *info, void *ucv) {
    (void)sig;
    (void)info;
    unsigned char *uc = ucv;
    for (int i = 0; i < 8; i++) seen[i] = frame_value(uc + kUcFpregs + 12 * i);
    seen[8] = (long)frame_word(uc + kUcFpcntl + 4 * fpcr_at);
    clobber();
    if (edit) set_frame_value(uc + kUcFpregs + 12 * 5, 42); /* FP5 */
    handled++;
}

int main(void) {
    const long unchanged[9] = {1, 2, 3, 4, 5, 6, 7, 8, kRoundDown};
    long expect[9];
    fpcr_at = fpcr_word();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);

    sa.sa_handler = (void (*)(int))(void (*)(void))plain; /* Linux/m68k passes sig, code, sc */
    sigaction(SIGUSR1, &sa, NULL);
    for (edit = 0; edit < 2; edit++) {
        memcpy(expect, unchanged, sizeof expect);
        if (edit) expect[1] = 42;
        memset(seen, 0, sizeof seen);
        EXPECT_EQ(edit ? "plain frame, FP1 edited: the FPU after the handler"
                       : "plain frame: the FPU after the handler",
                  fp_kill(getpid(), SIGUSR1, expect), 0);
        EXPECT_EQ("plain frame: FP0", seen[0], 1);
        EXPECT_EQ("plain frame: FP1", seen[1], 2);
        EXPECT_EQ("plain frame: FPCR", seen[8], kRoundDown);
    }

    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    for (edit = 0; edit < 2; edit++) {
        memcpy(expect, unchanged, sizeof expect);
        if (edit) expect[5] = 42;
        memset(seen, 0, sizeof seen);
        EXPECT_EQ(edit ? "rt frame, FP5 edited: the FPU after the handler" : "rt frame: the FPU after the handler",
                  fp_kill(getpid(), SIGUSR1, expect), 0);
        int all = 1;
        for (int i = 0; i < 8; i++) all &= seen[i] == i + 1;
        EXPECT_EQ("rt frame: FP0-FP7", all, 1);
        EXPECT_EQ("rt frame: FPCR", seen[8], kRoundDown);
    }
    EXPECT_EQ("handlers run", handled, 4);
    return finish();
}
