/* signal_handler: caught signals reach their handlers with Linux/m68k's frames and the
 * handlers return through sigreturn to where the program was: raise and kill of itself
 * (the plain frame and SA_SIGINFO's, si_signo, si_code SI_USER or SI_TKILL, si_pid),
 * locals and callee-saved registers intact after the handler, the signal blocked while
 * its handler runs and unblocked after, a blocked signal pending (sigpending) and
 * delivered as sigprocmask unblocks it, before the call returns, nested handlers, a
 * signal sent by a child while the parent computes (delivered asynchronously), and
 * siglongjmp out of a handler. */
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int hits[65];
static volatile int last_sig;
static volatile int blocked_inside;
static volatile int info_signo, info_code, info_pid_ok;
static volatile int nested_order[4];
static volatile int nested_n;

static void count(int sig) {
    hits[sig]++;
    last_sig = sig;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_inside = sigismember(&now, sig);
}

static void with_info(int sig, siginfo_t *info, void *uc) {
    (void)uc;
    hits[sig]++;
    info_signo = info->si_signo;
    info_code = info->si_code;
    info_pid_ok = info->si_pid == getpid();
}

static void inner(int sig) { nested_order[nested_n++] = sig; }
static void outer(int sig) {
    nested_order[nested_n++] = sig;
    raise(SIGUSR2);
    nested_order[nested_n++] = -sig;
}

static sigjmp_buf jump;
static void jump_out(int sig) { siglongjmp(jump, sig); }

static void catch_with(int sig, void (*h)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(void) {
    catch_with(SIGUSR1, count, 0);
    EXPECT_EQ("raise(SIGUSR1)", raise(SIGUSR1), 0);
    EXPECT_EQ("handler ran once", hits[SIGUSR1], 1);
    EXPECT_EQ("with its signal's number", last_sig, SIGUSR1);
    EXPECT_EQ("blocked while it ran", blocked_inside, 1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    EXPECT_EQ("unblocked after", sigismember(&now, SIGUSR1), 0);

    /* Locals in registers survive the handler (the compiler keeps them in d2-d7/a2-a5). */
    volatile long sum = 0;
    long a = 3, b = 5, c = 7;
    for (int i = 0; i < 4; i++) {
        kill(getpid(), SIGUSR1);
        a = a * 3 + 1;
        b = b * 5 + a;
        c = c ^ (a + b);
        sum += a + b + c;
    }
    EXPECT_EQ("handler ran 4 more times", hits[SIGUSR1], 5);
    EXPECT_EQ("computation across handlers", sum, 16171L);

    /* SA_SIGINFO: the rt frame. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    kill(getpid(), SIGUSR2);
    EXPECT_EQ("siginfo handler ran", hits[SIGUSR2], 1);
    EXPECT_EQ("si_signo", info_signo, SIGUSR2);
    EXPECT_EQ("si_code SI_USER", info_code, SI_USER);
    EXPECT_EQ("si_pid is ours", info_pid_ok, 1);
    syscall(SYS_tgkill, getpid(), getpid(), SIGUSR2);
    EXPECT_EQ("tgkill: si_code SI_TKILL", info_code, SI_TKILL);

    /* A blocked signal waits; unblocking delivers it before sigprocmask returns. */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    EXPECT_EQ("blocked: not run", hits[SIGUSR1], 5);
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ("sigpending has it", sigismember(&pending, SIGUSR1), 1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    EXPECT_EQ("unblocked: run", hits[SIGUSR1], 6);
    sigpending(&pending);
    EXPECT_EQ("no longer pending", sigismember(&pending, SIGUSR1), 0);

    /* Nested: USR1's handler raises USR2, whose handler runs inside it. */
    catch_with(SIGUSR1, outer, 0);
    catch_with(SIGUSR2, inner, 0);
    raise(SIGUSR1);
    EXPECT_EQ("nested handlers", nested_n, 3);
    EXPECT_EQ("outer first", nested_order[0], SIGUSR1);
    EXPECT_EQ("inner inside", nested_order[1], SIGUSR2);
    EXPECT_EQ("outer last", nested_order[2], -SIGUSR1);

    /* From a child while the parent computes. */
    catch_with(SIGUSR1, count, 0);
    hits[SIGUSR1] = 0;
    pid_t child = fork();
    if (child == 0) {
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    volatile unsigned long spins = 0;
    while (hits[SIGUSR1] == 0 && spins < 2000000000UL)
        spins++;
    EXPECT_EQ("a child's signal reaches the computing parent", hits[SIGUSR1], 1);
    int status;
    EXPECT_EQ("child reaped", waitpid(child, &status, 0) == child, 1);

    /* siglongjmp out of a handler restores the mask saved by sigsetjmp. */
    catch_with(SIGUSR2, jump_out, 0);
    int r = sigsetjmp(jump, 1);
    if (r == 0) {
        raise(SIGUSR2);
        printf("FAIL: raise returned\n");
    }
    EXPECT_EQ("siglongjmp out of the handler", r, SIGUSR2);
    sigprocmask(SIG_BLOCK, NULL, &now);
    EXPECT_EQ("mask restored", sigismember(&now, SIGUSR2), 0);
    return finish();
}
