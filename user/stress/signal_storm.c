/* signal_storm: random signals at random processes (issue 18 item 3). Eight children
 * catch some signals (plain, SA_SIGINFO, SA_RESTART, SA_NODEFER, on an alternate stack),
 * ignore or block others, change their masks at random and spend their time in blocking
 * calls (pipe reads, sleeps, poll, sigsuspend, waits) and in a computation whose result
 * they check after every round: a signal must never change a register or the memory
 * they own. The parent sends 4,000 random signals (caught, ignored, blocked, stop and
 * continue, real-time ones, to processes that do not exist), then SIGKILL: every child
 * must end by SIGKILL or exit 0, never by another signal or a failed check. Then the
 * hostile frames: a forged rt_sigreturn frame whose status register asks for supervisor
 * mode goes on in user mode, and sigreturns with garbage frames (a bad version, a bad
 * format, an unmapped stack) end their process with SIGSEGV and nothing else. Run by the
 * emulator only (qemu-m68k takes the forged supervisor bit and aborts). */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { kChildren = 8, kSignals = 4000 };

static uint32_t g_state = 0x2545f491u;
static uint32_t next(void) {
    g_state ^= g_state << 13;
    g_state ^= g_state >> 17;
    g_state ^= g_state << 5;
    return g_state;
}

static int g_failures;
static void fail(const char *what, long value) {
    printf("signal_storm: FAIL %s (%ld)\n", what, value);
    g_failures++;
}

static volatile unsigned long *g_hits; /* shared: handlers run in every child */
static void plain(int sig) {
    (void)sig;
    (*g_hits)++;
}
static void with_info(int sig, siginfo_t *info, void *uc) {
    (void)uc;
    if (info->si_signo != sig)
        _exit(5);
    (*g_hits)++;
}

/* A computation whose result does not depend on interruptions: integers and doubles. */
static uint32_t compute(void) {
    uint32_t x = 1;
    double d = 1.0;
    for (int i = 0; i < 2000; i++) {
        x = x * 1664525u + 1013904223u;
        d = d * 1.0001 + (x & 0xff);
    }
    return x ^ (uint32_t)d;
}

static char g_alt[16384];

static void child_life(uint32_t seed, int read_fd) {
    g_state = seed | 1;
    stack_t ss = {.ss_sp = g_alt, .ss_size = sizeof g_alt, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    int catchable[] = {SIGUSR1, SIGUSR2, SIGALRM, SIGHUP, SIGCHLD, SIGWINCH, SIGRTMIN, SIGRTMIN + 3, SIGCONT};
    for (unsigned i = 0; i < sizeof catchable / sizeof catchable[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sigemptyset(&sa.sa_mask);
        switch (next() % 5) {
        case 0: sa.sa_handler = plain; break;
        case 1: sa.sa_sigaction = with_info; sa.sa_flags = SA_SIGINFO; break;
        case 2: sa.sa_handler = plain; sa.sa_flags = SA_RESTART | SA_NODEFER; break;
        case 3: sa.sa_sigaction = with_info; sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART; break;
        default: sa.sa_handler = SIG_IGN; break;
        }
        if (catchable[i] == SIGCONT && sa.sa_handler == SIG_IGN)
            sa.sa_handler = plain;
        sigaddset(&sa.sa_mask, SIGUSR2);
        sigaction(catchable[i], &sa, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    const uint32_t expected = compute();
    volatile char guard[256];
    memset((char *)guard, 0x5a, sizeof guard);
    for (;;) {
        if (compute() != expected)
            _exit(3);
        for (unsigned i = 0; i < sizeof guard; i++)
            if (guard[i] != 0x5a)
                _exit(4);
        char c;
        struct timespec t = {0, (long)(next() % 3) * 1000000L};
        struct pollfd pfd = {.fd = read_fd, .events = POLLIN};
        sigset_t set;
        switch (next() % 8) {
        case 0: (void)read(read_fd, &c, 1); break;
        case 1: nanosleep(&t, NULL); break;
        case 2: poll(&pfd, 1, (int)(next() % 5)); break;
        case 3:
            sigemptyset(&set);
            sigaddset(&set, (int)(1 + next() % 31));
            sigprocmask(next() % 2 ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
            break;
        case 4: raise(SIGUSR1); break;
        case 5: sched_yield(); break;
        case 6: (void)waitpid(-1, NULL, WNOHANG); break;
        default:
            sigemptyset(&set);
            sigprocmask(SIG_SETMASK, &set, NULL);
            break;
        }
    }
}

/* The hostile frames, each in a child of its own. */
static sigjmp_buf g_ill;
static void on_ill(int sig) { siglongjmp(g_ill, sig); }
static void forge_supervisor(int sig, siginfo_t *info, void *ucv) {
    (void)sig;
    (void)info;
    ucontext_t *uc = ucv;
    uc->uc_mcontext.gregs[R_PS] |= 0xa700; /* trace, supervisor, interrupts masked */
}
static void forged_supervisor(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = forge_supervisor;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    signal(SIGILL, on_ill);
    if (sigsetjmp(g_ill, 1) == 0) {
        unsigned short sr;
        __asm__ volatile("move.w %%sr,%0" : "=d"(sr));
        _exit(10); /* supervisor mode: the forged bit was taken */
    }
    _exit(0);
}
static int g_garbage;
static void garbage_frame(int sig, siginfo_t *info, void *ucv) {
    (void)sig;
    (void)info;
    ucontext_t *uc = ucv;
    if (g_garbage == 0)
        uc->uc_mcontext.version = 7;
    else
        ((uint32_t *)uc)[105] = 0x7002; /* uc_formatvec: format 7 */
}
static void bad_frame(int which) {
    g_garbage = which;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = garbage_frame;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    _exit(0);
}
static void unmapped_stack(void) {
    /* rt_sigreturn with the stack pointer on page 0. */
    __asm__ volatile("sub.l %%a7,%%a7\n\tmove.l #173,%%d0\n\ttrap #0" ::: "d0", "memory");
    _exit(0);
}

static int died_by(void (*f)(void), const char *what) {
    pid_t pid = fork();
    if (pid == 0)
        f();
    int status;
    waitpid(pid, &status, 0);
    const int code = WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : WEXITSTATUS(status);
    printf("signal_storm: %s: %s %d\n", what, WIFSIGNALED(status) ? "signal" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return code;
}
static void bad_version(void) { bad_frame(0); }
static void bad_format(void) { bad_frame(1); }

int main(void) {
    g_hits = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fds[2];
    if (pipe(fds) != 0)
        fail("pipe", errno);
    /* Blocked until each child has its actions (a signal before would end it: Linux's
     * default actions). */
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &all, NULL);
    pid_t children[kChildren];
    for (int i = 0; i < kChildren; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            close(fds[1]);
            child_life(next(), fds[0]);
        }
        if (children[i] < 0)
            fail("fork", errno);
    }
    sigprocmask(SIG_SETMASK, &none, NULL);
    const int signals[] = {SIGUSR1, SIGUSR2, SIGALRM, SIGHUP, SIGCHLD, SIGWINCH, SIGRTMIN,
                           SIGRTMIN + 3, SIGSTOP, SIGCONT, SIGURG, 0};
    int stopped[kChildren] = {0};
    for (int n = 0; n < kSignals; n++) {
        const int i = (int)(next() % kChildren);
        int sig = signals[next() % (sizeof signals / sizeof signals[0])];
        if (sig == SIGSTOP)
            stopped[i] = 1;
        if (sig == SIGCONT)
            stopped[i] = 0;
        if (kill(children[i], sig) != 0)
            fail("kill", errno);
        if (next() % 16 == 0 && write(fds[1], "x", 1) != 1)
            fail("write", errno);
        if (next() % 64 == 0 && kill(99999, SIGUSR1) != -1)
            fail("kill of no process", 0);
        if (next() % 32 == 0) {
            struct timespec t = {0, 1000000L};
            nanosleep(&t, NULL);
        }
        int status;
        const pid_t early = waitpid(-1, &status, WNOHANG);
        if (early > 0)
            fail("a child ended early, status", status);
    }
    for (int i = 0; i < kChildren; i++) {
        kill(children[i], SIGCONT);
        kill(children[i], SIGKILL);
    }
    for (int i = 0; i < kChildren; i++) {
        int status;
        if (waitpid(children[i], &status, 0) != children[i])
            fail("waitpid", errno);
        else if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
            fail("a child's end (status)", status);
    }
    (void)stopped;
    if (*g_hits < kSignals / 4)
        fail("handlers ran too seldom", (long)*g_hits);
    printf("signal_storm: %d signals at %d children, each ended by SIGKILL with its checks held\n", kSignals,
           kChildren);
    if (died_by(forged_supervisor, "a forged supervisor bit") != 0)
        fail("forged supervisor bit", 0);
    if (died_by(bad_version, "a bad mcontext version") != 1000 + SIGSEGV)
        fail("bad version", 0);
    if (died_by(bad_format, "a bad frame format") != 1000 + SIGSEGV)
        fail("bad format", 0);
    if (died_by(unmapped_stack, "a frame on page 0") != 1000 + SIGSEGV)
        fail("unmapped stack", 0);
    if (g_failures == 0)
        printf("signal_storm: done: every process ended as it must\n");
    return g_failures == 0 ? 0 : 1;
}
