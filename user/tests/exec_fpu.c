/* exec_fpu: execve starts the new program with the FPU as Linux's flush_thread leaves it
 * (FPCR 0: rounding to nearest, extended precision, no exception enabled), whatever the
 * old program set. */
/* oracle-none: the unix suite's qemu-m68k cannot exec (ENOEXEC: no binfmt for m68k in its
 * root), so the check is written from Linux 6.1's arch/m68k/kernel/process.c
 * (flush_thread: frestore of a null frame, FPCR 0). */
#include "check.h"

static unsigned long fpcr(void) {
    unsigned long v;
    __asm__ volatile("fmove.l %%fpcr, %0" : "=d"(v));
    return v;
}

int main(int argc, char **argv) {
    if (argc > 1) {
        EXPECT_EQ("after execve: FPCR", fpcr(), 0);
        return finish();
    }
    /* Rounding toward +infinity (RND 11), double precision (PREC 10), divide-by-zero
     * trap enabled (DZ, bit 10). */
    unsigned long set = 0x30 | 0x80 | 0x400;
    __asm__ volatile("fmove.l %0, %%fpcr" : : "d"(set));
    EXPECT_EQ("FPCR set", fpcr(), set);
    fflush(stdout);
    execl(argv[0], argv[0], "child", (char *)NULL);
    CHECK(0); /* execl returned */
    return finish();
}
