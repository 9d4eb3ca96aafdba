/* fork_fpu: the floating-point registers a process holds when it forks are the child's
 * too (issue 18 item 1: fork copies the calling thread's whole state, its FPU included;
 * Linux copies the thread's fpregs). fp2-fp7 are callee-saved on m68k, so values put
 * there before fork() are still there after it returns, in the parent and in the child;
 * the FPU control register (its rounding mode), set before the fork, must be the child's. */
#include "check.h"
#include <sys/wait.h>

enum { kRoundToZero = 0x10 }; /* FPCR's rounding field (bits 5-4): 01, toward zero */

static void set_control(unsigned value) { __asm__ volatile("fmove.l %0,%%fpcr" : : "d"(value)); }

static unsigned control(void) {
    unsigned value;
    __asm__ volatile("fmove.l %%fpcr,%0" : "=d"(value));
    return value;
}

static void set_registers(void) {
    static const double values[6] = {1.5, -2.25, 3.125, 1e10, -7.0, 0.0625};
    __asm__ volatile("fmove.d %0,%%fp2\n\t"
                     "fmove.d %1,%%fp3\n\t"
                     "fmove.d %2,%%fp4\n\t"
                     "fmove.d %3,%%fp5\n\t"
                     "fmove.d %4,%%fp6\n\t"
                     "fmove.d %5,%%fp7"
                     :
                     : "m"(values[0]), "m"(values[1]), "m"(values[2]), "m"(values[3]), "m"(values[4]),
                       "m"(values[5])
                     : "fp2", "fp3", "fp4", "fp5", "fp6", "fp7");
}

/* How many of fp2-fp7 still hold what set_registers put there. */
static int registers_kept(void) {
    double got[6];
    __asm__ volatile("fmove.d %%fp2,%0\n\t"
                     "fmove.d %%fp3,%1\n\t"
                     "fmove.d %%fp4,%2\n\t"
                     "fmove.d %%fp5,%3\n\t"
                     "fmove.d %%fp6,%4\n\t"
                     "fmove.d %%fp7,%5"
                     : "=m"(got[0]), "=m"(got[1]), "=m"(got[2]), "=m"(got[3]), "=m"(got[4]), "=m"(got[5]));
    static const double values[6] = {1.5, -2.25, 3.125, 1e10, -7.0, 0.0625};
    int kept = 0;
    for (int i = 0; i < 6; ++i)
        kept += got[i] == values[i];
    return kept;
}

int main(void) {
    set_control(kRoundToZero);
    EXPECT_EQ("FPCR set", control(), kRoundToZero);
    set_registers();
    pid_t pid = fork();
    if (pid == 0) {
        const int kept = registers_kept();
        const int mode = control() == kRoundToZero;
        _exit(kept == 6 && mode ? 0 : 10 + kept + 20 * mode);
    }
    EXPECT_EQ("the parent's fp2-fp7 after fork", registers_kept(), 6);
    int status = -1;
    EXPECT_EQ("waitpid finds the child", waitpid(pid, &status, 0) == pid, 1);
    EXPECT_EQ("the child's fp2-fp7 and rounding mode (exit 0)", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    EXPECT_EQ("the parent's FPCR", control(), kRoundToZero);
    return finish();
}
