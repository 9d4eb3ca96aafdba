/* rt_queue: real-time signals are queued (signal(7)): each instance of SIGRTMIN..SIGRTMAX
 * sent while one is pending is kept with its own siginfo and delivered, oldest first,
 * where a standard signal sent twice is pending once. sigqueue (rt_sigqueueinfo) carries
 * a value with SI_QUEUE; rt_tgsigqueueinfo does the same for one thread; sigtimedwait
 * takes one instance at a time, lowest signal first; a handler runs once per instance;
 * SIG_IGN discards every queued instance; Linux's rules for rt_sigqueueinfo (si_signo is
 * the call's signal; EINVAL for a bad signal or thread id, EPERM for a non-negative
 * si_code to another process, ESRCH, EFAULT). */
#include "check.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static volatile int g_taken;
static volatile int g_values[16];
static volatile int g_codes[16];

static void record(int signal, siginfo_t *info, void *context) {
    (void)signal;
    (void)context;
    if (g_taken < 16) {
        g_values[g_taken] = info->si_value.sival_int;
        g_codes[g_taken] = info->si_code;
    }
    g_taken++;
}

/* Takes one pending signal of `set` without waiting: its number, or -1 (EAGAIN). */
static int take(const sigset_t *set, siginfo_t *info) {
    struct timespec zero = {0, 0};
    return sigtimedwait(set, info, &zero);
}

static long queue_info(pid_t pid, int signal, int signo, int code, int value) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = signo;
    info.si_code = code;
    info.si_pid = getpid();
    info.si_uid = getuid();
    info.si_value.sival_int = value;
    return syscall(SYS_rt_sigqueueinfo, pid, signal, &info);
}

int main(void) {
    const int rt0 = SIGRTMIN, rt1 = SIGRTMIN + 1, rt2 = SIGRTMIN + 2, rt3 = SIGRTMIN + 3;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, rt0);
    sigaddset(&set, rt1);
    EXPECT_OK("block SIGUSR1, SIGRTMIN, SIGRTMIN+1", sigprocmask(SIG_BLOCK, &set, NULL));

    /* Three of SIGRTMIN by kill, two of SIGUSR1, three of SIGRTMIN+1 by sigqueue. */
    for (int i = 0; i < 3; i++)
        CHECK(kill(getpid(), rt0) == 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    for (int i = 0; i < 3; i++) {
        union sigval v = {.sival_int = 7 + i};
        CHECK(sigqueue(getpid(), rt1, v) == 0);
    }
    sigset_t pending;
    EXPECT_OK("sigpending", sigpending(&pending));
    EXPECT_EQ("SIGUSR1 pending", sigismember(&pending, SIGUSR1), 1);
    EXPECT_EQ("SIGRTMIN pending", sigismember(&pending, rt0), 1);
    EXPECT_EQ("SIGRTMIN+1 pending", sigismember(&pending, rt1), 1);

    /* One at a time, the lowest signal first, each real-time instance with its siginfo. */
    siginfo_t info;
    EXPECT_EQ("first taken is SIGUSR1", take(&set, &info), SIGUSR1);
    EXPECT_EQ("  its code is SI_USER", info.si_code, SI_USER);
    for (int i = 0; i < 3; i++) {
        memset(&info, 0, sizeof info);
        EXPECT_EQ("next taken is SIGRTMIN", take(&set, &info) - SIGRTMIN, 0);
        EXPECT_EQ("  its code is SI_USER", info.si_code, SI_USER);
        EXPECT_EQ("  from this process", info.si_pid == getpid(), 1);
    }
    for (int i = 0; i < 3; i++) {
        memset(&info, 0, sizeof info);
        EXPECT_EQ("next taken is SIGRTMIN+1", take(&set, &info) - SIGRTMIN, 1);
        EXPECT_EQ("  its code is SI_QUEUE", info.si_code, SI_QUEUE);
        EXPECT_EQ("  its value, in the order sent", info.si_value.sival_int, 7 + i);
        EXPECT_EQ("  from this process", info.si_pid == getpid(), 1);
    }
    EXPECT_ERR("then nothing is pending", take(&set, &info), EAGAIN);
    EXPECT_OK("sigpending again", sigpending(&pending));
    EXPECT_EQ("SIGRTMIN+1 no longer pending", sigismember(&pending, rt1), 0);

    /* A handler runs once per instance, in order (it runs with its signal blocked, so
     * each next one waits for its sigreturn). */
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_sigaction = record;
    act.sa_flags = SA_SIGINFO;
    sigemptyset(&act.sa_mask);
    EXPECT_OK("handler for SIGRTMIN+2", sigaction(rt2, &act, NULL));
    sigemptyset(&set);
    sigaddset(&set, rt2);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        union sigval v = {.sival_int = 100 + i};
        CHECK(sigqueue(getpid(), rt2, v) == 0);
    }
    EXPECT_EQ("nothing delivered while blocked", g_taken, 0);
    EXPECT_OK("unblock SIGRTMIN+2", sigprocmask(SIG_UNBLOCK, &set, NULL));
    EXPECT_EQ("the handler ran once per instance", g_taken, 4);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ("  value delivered in order", g_values[i], 100 + i);
        EXPECT_EQ("  with SI_QUEUE", g_codes[i], SI_QUEUE);
    }

    /* rt_tgsigqueueinfo: the same, to one thread (this one). */
    g_taken = 0;
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    for (int i = 0; i < 2; i++) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        si.si_signo = rt2;
        si.si_code = SI_QUEUE;
        si.si_pid = getpid();
        si.si_value.sival_int = 200 + i;
        EXPECT_OK("rt_tgsigqueueinfo to this thread",
                  syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), rt2, &si));
    }
    EXPECT_OK("unblock SIGRTMIN+2 again", sigprocmask(SIG_UNBLOCK, &set, NULL));
    EXPECT_EQ("the handler ran twice", g_taken, 2);
    EXPECT_EQ("  first value", g_values[0], 200);
    EXPECT_EQ("  second value", g_values[1], 201);

    /* SIG_IGN discards every queued instance. */
    g_taken = 0;
    EXPECT_OK("handler for SIGRTMIN+3", sigaction(rt3, &act, NULL));
    sigemptyset(&set);
    sigaddset(&set, rt3);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    for (int i = 0; i < 3; i++) {
        union sigval v = {.sival_int = i};
        CHECK(sigqueue(getpid(), rt3, v) == 0);
    }
    act.sa_handler = SIG_IGN;
    act.sa_flags = 0;
    EXPECT_OK("SIGRTMIN+3 ignored", sigaction(rt3, &act, NULL));
    EXPECT_OK("sigpending after SIG_IGN", sigpending(&pending));
    EXPECT_EQ("SIGRTMIN+3 no longer pending", sigismember(&pending, rt3), 0);
    act.sa_sigaction = record;
    act.sa_flags = SA_SIGINFO;
    EXPECT_OK("handler for SIGRTMIN+3 again", sigaction(rt3, &act, NULL));
    EXPECT_OK("unblock SIGRTMIN+3", sigprocmask(SIG_UNBLOCK, &set, NULL));
    EXPECT_EQ("none of the discarded ones delivered", g_taken, 0);

    /* Linux's checks on rt_sigqueueinfo. */
    sigemptyset(&set);
    sigaddset(&set, rt0);
    /* Linux sets si_signo to the call's signal (__copy_siginfo_from_user). */
    EXPECT_OK("si_signo other than the signal", queue_info(getpid(), rt0, rt1, SI_QUEUE, 1));
    memset(&info, 0, sizeof info);
    EXPECT_EQ("  the call's signal is taken", take(&set, &info) - SIGRTMIN, 0);
    EXPECT_EQ("  its si_signo the call's", info.si_signo - SIGRTMIN, 0);
    EXPECT_EQ("  its value", info.si_value.sival_int, 1);
    EXPECT_ERR("signal 65", queue_info(getpid(), 65, 65, SI_QUEUE, 1), EINVAL);
    EXPECT_ERR("bad siginfo pointer", syscall(SYS_rt_sigqueueinfo, getpid(), rt0, (void *)1), EFAULT);
    memset(&info, 0, sizeof info);
    info.si_signo = rt0;
    info.si_code = SI_QUEUE;
    EXPECT_ERR("tgid 0 for rt_tgsigqueueinfo", syscall(SYS_rt_tgsigqueueinfo, 0, 1, rt0, &info), EINVAL);
    EXPECT_ERR("tid 0 for rt_tgsigqueueinfo", syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, rt0, &info), EINVAL);
    EXPECT_OK("SI_USER to itself is allowed", queue_info(getpid(), rt0, rt0, SI_USER, 5));
    memset(&info, 0, sizeof info);
    EXPECT_EQ("  and taken", take(&set, &info) - SIGRTMIN, 0);
    EXPECT_EQ("  with its code", info.si_code, SI_USER);
    EXPECT_OK("signal 0 checks only", queue_info(getpid(), 0, 0, SI_QUEUE, 1));

    pid_t child = fork();
    if (child == 0) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        pause();
        _exit(0);
    }
    CHECK(child > 0);
    EXPECT_ERR("SI_USER to another process", queue_info(child, rt0, rt0, SI_USER, 1), EPERM);
    EXPECT_ERR("SI_TKILL to another process", queue_info(child, rt0, rt0, SI_TKILL, 1), EPERM);
    EXPECT_OK("SI_QUEUE to another process", queue_info(child, rt0, rt0, SI_QUEUE, 1));
    CHECK(kill(child, SIGKILL) == 0);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    EXPECT_EQ("child killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, 1);
    EXPECT_ERR("to a process that is gone", queue_info(child, rt0, rt0, SI_QUEUE, 1), ESRCH);
    return finish();
}
