/* sigrecord: what part 1 records of signals and reports of the system: rt_sigaction
 * installs and returns actions (SIG_IGN, a handler, flags, a mask), refuses SIGKILL and
 * SIGSTOP, signal 0 or 65, and a sigset size other than 8; rt_sigprocmask blocks,
 * unblocks and sets the mask and reports it (SIGKILL and SIGSTOP never stay blocked; a bad
 * how is EINVAL); setrlimit/getrlimit round trip (soft above hard EINVAL); sysinfo's
 * figures make sense; the process CPU-time clock moves while the process computes. */
#include "check.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>

static void handler(int signal) { (void)signal; }

int main(void) {
    struct sigaction act, old;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    act.sa_flags = SA_RESTART;
    sigemptyset(&act.sa_mask);
    sigaddset(&act.sa_mask, SIGUSR2);
    EXPECT_OK("sigaction SIGUSR1 install", sigaction(SIGUSR1, &act, NULL));
    memset(&old, 0, sizeof old);
    EXPECT_OK("sigaction SIGUSR1 query", sigaction(SIGUSR1, NULL, &old));
    EXPECT_EQ("handler kept", old.sa_handler == handler, 1);
    EXPECT_EQ("SA_RESTART kept", (old.sa_flags & SA_RESTART) != 0, 1);
    EXPECT_EQ("mask kept", sigismember(&old.sa_mask, SIGUSR2), 1);
    /* Signal 40 lies in the mask's second word (m68k's struct is handler, flags,
     * restorer, mask: 20 bytes; a 16-byte copy loses that word). */
    sigaddset(&act.sa_mask, 40);
    EXPECT_OK("sigaction SIGUSR1 with signal 40 masked", sigaction(SIGUSR1, &act, NULL));
    memset(&old, 0, sizeof old);
    EXPECT_OK("sigaction SIGUSR1 query mask", sigaction(SIGUSR1, NULL, &old));
    EXPECT_EQ("signal 40 in the mask kept", sigismember(&old.sa_mask, 40), 1);
    EXPECT_EQ("SIGUSR2 still in the mask", sigismember(&old.sa_mask, SIGUSR2), 1);
    act.sa_handler = SIG_IGN;
    EXPECT_OK("sigaction SIGUSR1 to SIG_IGN", sigaction(SIGUSR1, &act, &old));
    EXPECT_EQ("old action returned", old.sa_handler == handler, 1);
    EXPECT_OK("sigaction SIGUSR1 query again", sigaction(SIGUSR1, NULL, &old));
    EXPECT_EQ("SIG_IGN kept", old.sa_handler == SIG_IGN, 1);
    EXPECT_ERR("sigaction SIGKILL", sigaction(SIGKILL, &act, NULL), EINVAL);
    EXPECT_ERR("sigaction SIGSTOP", sigaction(SIGSTOP, &act, NULL), EINVAL);
    EXPECT_OK("sigaction SIGKILL query", sigaction(SIGKILL, NULL, &old));
    EXPECT_ERR("rt_sigaction signal 0", syscall(SYS_rt_sigaction, 0, NULL, &old, 8), EINVAL);
    EXPECT_ERR("rt_sigaction signal 65", syscall(SYS_rt_sigaction, 65, NULL, &old, 8), EINVAL);
    EXPECT_ERR("rt_sigaction sigset size 7", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 7), EINVAL);
    EXPECT_ERR("rt_sigaction bad pointer", syscall(SYS_rt_sigaction, SIGUSR1, (void *)1, NULL, 8), EFAULT);

    sigset_t set, got;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGKILL);
    sigaddset(&set, 40);
    EXPECT_OK("block USR1, KILL, 40", sigprocmask(SIG_BLOCK, &set, NULL));
    EXPECT_OK("query mask", sigprocmask(SIG_BLOCK, NULL, &got));
    EXPECT_EQ("USR1 blocked", sigismember(&got, SIGUSR1), 1);
    EXPECT_EQ("signal 40 blocked", sigismember(&got, 40), 1);
    EXPECT_EQ("KILL not blocked", sigismember(&got, SIGKILL), 0);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    EXPECT_OK("unblock USR1", sigprocmask(SIG_UNBLOCK, &set, &got));
    EXPECT_OK("query mask again", sigprocmask(SIG_SETMASK, NULL, &got));
    EXPECT_EQ("USR1 unblocked", sigismember(&got, SIGUSR1), 0);
    EXPECT_EQ("40 still blocked", sigismember(&got, 40), 1);
    sigemptyset(&set);
    EXPECT_OK("set empty mask", sigprocmask(SIG_SETMASK, &set, NULL));
    EXPECT_ERR("rt_sigprocmask how 7", syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), EINVAL);
    EXPECT_ERR("rt_sigprocmask sigset size 4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), EINVAL);

    struct rlimit r, back;
    EXPECT_OK("getrlimit STACK", getrlimit(RLIMIT_STACK, &r));
    EXPECT_EQ("stack soft limit > 0", r.rlim_cur > 0, 1);
    r.rlim_cur = 4 * 1024 * 1024;
    EXPECT_OK("setrlimit STACK 4 MiB", setrlimit(RLIMIT_STACK, &r));
    EXPECT_OK("getrlimit STACK again", getrlimit(RLIMIT_STACK, &back));
    struct rlimit bad = {8, 4};
    EXPECT_ERR("setrlimit soft above hard", setrlimit(RLIMIT_NOFILE, &bad), EINVAL);

    struct sysinfo info;
    EXPECT_OK("sysinfo", sysinfo(&info));
    EXPECT_EQ("mem_unit > 0", info.mem_unit > 0, 1);
    EXPECT_EQ("totalram > 0", info.totalram > 0, 1);
    /* Not compared: freeram <= totalram. qemu-user copies a 64-bit host's byte counts into
     * the 32-bit fields with mem_unit 1, truncated, so on a host with more than 4 GiB the
     * oracle's freeram may exceed its totalram (it did, at 25 GiB). */
    EXPECT_EQ("at least one process", info.procs >= 1, 1);
    EXPECT_ERR("sysinfo bad pointer", syscall(SYS_sysinfo, (void *)1), EFAULT);

    /* Computes until the process CPU-time clock moves (its granularity is the host's under
     * qemu-m68k, a clock tick's in the emulator), looking every 100,000 rounds. */
    struct timespec t0, t1;
    EXPECT_OK("process CPU time", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0));
    volatile unsigned long sum = 0;
    long long ns = 0;
    for (unsigned long i = 1; i <= 50000000 && ns <= 0; ++i) {
        sum += i;
        if (i % 100000 == 0 && clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1) == 0)
            ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    }
    EXPECT_EQ("CPU time moved while computing", ns > 0, 1);
    return finish();
}
