/* sigsuspend: waiting for signals. sigsuspend swaps in its mask, returns EINTR once a
 * handler ran (a signal blocked before it, sent by a child, is taken) and puts the old
 * mask back; a signal pending and blocked before sigsuspend unblocks it is taken at once;
 * pause returns EINTR after a handler; sigtimedwait takes a blocked pending signal
 * without its handler, with its siginfo (si_code SI_USER, si_pid the sender), waits for
 * one from a child, times out with EAGAIN, and sigwaitinfo/sigwait work the same; ppoll
 * and pselect with a mask that unblocks a pending signal end with EINTR after its
 * handler and put the old mask back. */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>

static volatile int hits[65];
static volatile int usr2_blocked_inside;
static void on_signal(int sig) {
    hits[sig]++;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    usr2_blocked_inside = sigismember(&now, SIGUSR2);
}

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static pid_t send_later(int sig, long ms) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        nap(ms);
        kill(parent, sig);
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid) {
    int status;
    waitpid(pid, &status, 0);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    sigset_t block, none, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGUSR2);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, NULL);

    pid_t child = send_later(SIGUSR1, 100);
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    sigaddset(&wait_mask, SIGUSR2); /* USR2 stays blocked while it waits */
    EXPECT_ERR("sigsuspend", sigsuspend(&wait_mask), EINTR);
    EXPECT_EQ("SIGUSR1's handler ran", hits[SIGUSR1], 1);
    EXPECT_EQ("with sigsuspend's mask (SIGUSR2 blocked)", usr2_blocked_inside, 1);
    sigprocmask(SIG_BLOCK, NULL, &now);
    EXPECT_EQ("old mask back: SIGUSR1 blocked", sigismember(&now, SIGUSR1), 1);
    reap(child);

    raise(SIGUSR2);
    EXPECT_EQ("blocked SIGUSR2 waits", hits[SIGUSR2], 0);
    EXPECT_ERR("sigsuspend with SIGUSR2 pending", sigsuspend(&none), EINTR);
    EXPECT_EQ("SIGUSR2 taken at once", hits[SIGUSR2], 1);

    sigprocmask(SIG_UNBLOCK, &block, NULL);
    child = send_later(SIGUSR1, 100);
    EXPECT_ERR("pause", pause(), EINTR);
    EXPECT_EQ("SIGUSR1's handler ran again", hits[SIGUSR1], 2);
    reap(child);

    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR2);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    struct timespec zero = {0, 0};
    EXPECT_EQ("sigtimedwait takes the pending one", sigtimedwait(&block, &info, &zero), SIGUSR2);
    EXPECT_EQ("without its handler", hits[SIGUSR2], 1);
    EXPECT_EQ("si_signo", info.si_signo, SIGUSR2);
    EXPECT_EQ("si_code", info.si_code, SI_USER);
    EXPECT_EQ("si_pid", info.si_pid == getpid(), 1);
    EXPECT_ERR("nothing pending, zero timeout", sigtimedwait(&block, &info, &zero), EAGAIN);
    struct timespec brief = {0, 50 * 1000000L};
    EXPECT_ERR("nothing comes in 50 ms", sigtimedwait(&block, &info, &brief), EAGAIN);

    child = send_later(SIGUSR1, 100);
    memset(&info, 0, sizeof info);
    EXPECT_EQ("sigwaitinfo waits for the child's", sigwaitinfo(&block, &info), SIGUSR1);
    EXPECT_EQ("si_pid: the child", info.si_pid == child, 1);
    EXPECT_EQ("no handler", hits[SIGUSR1], 2);
    reap(child);

    /* ppoll and pselect with a mask that lets a pending signal in: EINTR after its handler,
     * the old mask back. */
    raise(SIGUSR1);
    struct timespec second = {1, 0};
    EXPECT_ERR("ppoll with an empty mask", ppoll(NULL, 0, &second, &none), EINTR);
    EXPECT_EQ("SIGUSR1's handler ran", hits[SIGUSR1], 3);
    sigprocmask(SIG_BLOCK, NULL, &now);
    EXPECT_EQ("ppoll: SIGUSR1 blocked again", sigismember(&now, SIGUSR1), 1);
    raise(SIGUSR2);
    EXPECT_ERR("pselect with an empty mask", pselect(0, NULL, NULL, NULL, &second, &none), EINTR);
    EXPECT_EQ("SIGUSR2's handler ran", hits[SIGUSR2], 2);
    sigprocmask(SIG_BLOCK, NULL, &now);
    EXPECT_EQ("pselect: SIGUSR2 blocked again", sigismember(&now, SIGUSR2), 1);
    EXPECT_EQ("ppoll with nothing to let in: times out", ppoll(NULL, 0, &zero, &none), 0);

    raise(SIGUSR1);
    int sig = 0;
    EXPECT_EQ("sigwait", sigwait(&block, &sig), 0);
    EXPECT_EQ("sigwait's signal", sig, SIGUSR1);
    sigpending(&now);
    EXPECT_EQ("nothing pending after", sigismember(&now, SIGUSR1) + sigismember(&now, SIGUSR2), 0);
    return finish();
}
