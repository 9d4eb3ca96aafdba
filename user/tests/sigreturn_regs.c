/* sigreturn_regs: a handler's return restores exactly what it interrupted. A loop in
 * assembly holds known values in every integer register (d0-d7, a0-a6) and in fp0-fp7
 * while a child's signal interrupts it (asynchronously, not at a system call); the
 * handler clobbers integer and FP registers; the loop then finds them all unchanged
 * (plain frame and SA_SIGINFO frame). An SA_SIGINFO handler that edits its ucontext
 * (d2) has the edit taken at its return. */
#include "check.h"
#include <signal.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <time.h>

volatile int flag;
int fp01;
/* int hold_registers(int fp01): 0 when every register held its value until `flag` was
 * set (fp0 and fp1 only when fp01 is not 0). */
int hold_registers(int fp01);
__asm__(".text\n.globl hold_registers\nhold_registers:\n"
        "\tmove.l 4(%sp),%d0\n\tmove.l %d0,fp01\n"
        "\tmovem.l %d2-%d7/%a2-%a6,-(%sp)\n"
        "\tfmovem.x %fp2-%fp7,-(%sp)\n"
        "\tmove.l #0x11111111,%d0\n\tmove.l #0x22222222,%d1\n\tmove.l #0x33333333,%d2\n"
        "\tmove.l #0x44444444,%d3\n\tmove.l #0x55555555,%d4\n\tmove.l #0x66666666,%d5\n"
        "\tmove.l #0x77777777,%d6\n\tmove.l #0x0000abcd,%d7\n"
        "\tlea flag,%a0\n\tmove.l #0xa1a1a1a1,%a1\n\tmove.l #0xa2a2a2a2,%a2\n"
        "\tmove.l #0xa3a3a3a3,%a3\n\tmove.l #0xa4a4a4a4,%a4\n\tmove.l #0xa5a5a5a5,%a5\n"
        "\tmove.l #0xa6a6a6a6,%a6\n"
        "\tfmove.l #1,%fp0\n\tfmove.l #2,%fp1\n\tfmove.l #3,%fp2\n\tfmove.l #4,%fp3\n"
        "\tfmove.l #5,%fp4\n\tfmove.l #6,%fp5\n\tfmove.l #7,%fp6\n\tfmove.l #8,%fp7\n"
        "1:\ttst.l (%a0)\n\tbeq.s 1b\n"
        "\tcmp.l #0x11111111,%d0\n\tbne 9f\n\tcmp.l #0x22222222,%d1\n\tbne 9f\n"
        "\tcmp.l #0x33333333,%d2\n\tbne 9f\n\tcmp.l #0x44444444,%d3\n\tbne 9f\n"
        "\tcmp.l #0x55555555,%d4\n\tbne 9f\n\tcmp.l #0x66666666,%d5\n\tbne 9f\n"
        "\tcmp.l #0x77777777,%d6\n\tbne 9f\n\tcmp.l #0x0000abcd,%d7\n\tbne 9f\n"
        "\tcmp.l #flag,%a0\n\tbne 9f\n\tcmp.l #0xa1a1a1a1,%a1\n\tbne 9f\n"
        "\tcmp.l #0xa2a2a2a2,%a2\n\tbne 9f\n\tcmp.l #0xa3a3a3a3,%a3\n\tbne 9f\n"
        "\tcmp.l #0xa4a4a4a4,%a4\n\tbne 9f\n\tcmp.l #0xa5a5a5a5,%a5\n\tbne 9f\n"
        "\tcmp.l #0xa6a6a6a6,%a6\n\tbne 9f\n"
        "\ttst.l fp01\n\tbeq.s 7f\n"
        "\tfcmp.l #1,%fp0\n\tfbne 9f\n\tfcmp.l #2,%fp1\n\tfbne 9f\n"
        "7:\tfcmp.l #3,%fp2\n\tfbne 9f\n"
        "\tfcmp.l #4,%fp3\n\tfbne 9f\n\tfcmp.l #5,%fp4\n\tfbne 9f\n\tfcmp.l #6,%fp5\n\tfbne 9f\n"
        "\tfcmp.l #7,%fp6\n\tfbne 9f\n\tfcmp.l #8,%fp7\n\tfbne 9f\n"
        "\tmoveq #0,%d0\n\tbra.s 8f\n"
        "9:\tmoveq #1,%d0\n"
        "8:\tfmovem.x (%sp)+,%fp2-%fp7\n"
        "\tmovem.l (%sp)+,%d2-%d7/%a2-%a6\n\trts\n");

/* Clobbers what it can: the C compiler saves d2-d7/a2-a6/fp2-fp7 it uses; these do not. */
static volatile double sink;
static void clobber(void) {
    volatile double x = 1.5;
    for (int i = 0; i < 10; i++)
        x = x * 3.25 + i;
    sink = x;
    __asm__ volatile("moveq #-1,%%d0\n\tmoveq #-1,%%d1\n\tsub.l %%a0,%%a0\n\tsub.l %%a1,%%a1\n\t"
                     "fmove.l #-9,%%fp0\n\tfmove.l #-9,%%fp1"
                     :
                     :
                     : "d0", "d1", "a0", "a1", "fp0", "fp1");
}

static void plain(int sig) {
    (void)sig;
    clobber();
    flag = 1;
}
static void with_info(int sig, siginfo_t *info, void *uc) {
    (void)sig;
    (void)info;
    (void)uc;
    clobber();
    flag = 1;
}

static pid_t poke_later(void) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec t = {0, 100 * 1000000L};
        nanosleep(&t, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    return pid;
}

/* long edited(void): returns d2 as the handler's ucontext left it (the handler's
 * trap #15 is skipped by moving the pc past it). */
long edited(void);
__asm__(".text\n.globl edited\nedited:\n\tmove.l %d2,-(%sp)\n\tmoveq #5,%d2\n"
        "\ttrap #15\n"
        "\tmove.l %d2,%d0\n\tmove.l (%sp)+,%d2\n\trts\n");
static void edit_context(int sig, siginfo_t *info, void *ucv) {
    (void)sig;
    (void)info;
    ucontext_t *uc = ucv;
    uc->uc_mcontext.gregs[R_D2] = 1234;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = plain;
    sigaction(SIGUSR1, &sa, NULL);
    flag = 0;
    pid_t child = poke_later();
    /* qemu-m68k's plain frame holds no FPU registers (Linux's holds fp0-fp1 and the
     * control registers; the emulator's is checked by the host tests): fp0-fp1 are
     * left out here. */
    EXPECT_EQ("plain frame: every register as it was", hold_registers(0), 0);
    int status;
    waitpid(child, &status, 0);

    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    flag = 0;
    child = poke_later();
    EXPECT_EQ("rt frame: every register as it was", hold_registers(1), 0);
    waitpid(child, &status, 0);

    /* trap #15 raises SIGTRAP past the trap (pc after it): the handler edits d2. (A
     * supervisor bit set there is the stress program signal_storm's: qemu-m68k takes it
     * and aborts.) */
    sa.sa_sigaction = edit_context;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, NULL);
    EXPECT_EQ("d2 as the handler's ucontext left it", edited(), 1234);
    return finish();
}
