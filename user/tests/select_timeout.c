/* select_timeout: select, pselect6 and ppoll write what is left of their timeout back as
 * they return (Linux's poll_select_finish): 0 after a timeout; most of it when a
 * descriptor becomes ready early; a zero timeout is left alone. glibc's select hands
 * the written timeout on to the program; its pselect and ppoll pass copies (so ppoll is
 * also called directly here). Linux writes it after a handler ended the wait (EINTR)
 * too, but qemu-m68k only on success, so that case is not compared. Times are checked
 * against generous bounds only (the oracle's clock is the host's). */
#define _GNU_SOURCE 1
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static volatile int hits;
static void on_usr1(int sig) {
    (void)sig;
    hits++;
}

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
}

/* A child that writes a byte to `fd` after `ms` (fd >= 0), or signals the parent. */
static pid_t later(long ms, int fd) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        nap(ms);
        if (fd >= 0)
            (void)!write(fd, "x", 1);
        else
            kill(parent, SIGUSR1);
        _exit(0);
    }
    return pid;
}

static int reap(pid_t pid) {
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void) {
    int fds[2];
    EXPECT_OK("pipe", pipe(fds));
    fd_set r;
    char byte;

    /* A timeout that runs out: nothing left. */
    struct timeval tv = {0, 50 * 1000};
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    EXPECT_EQ("select times out", select(fds[0] + 1, &r, NULL, NULL, &tv), 0);
    EXPECT_EQ("nothing left", tv.tv_sec == 0 && tv.tv_usec == 0, 1);

    /* Ready early: most of the timeout is left. */
    pid_t child = later(100, fds[1]);
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    EXPECT_EQ("select readable", select(fds[0] + 1, &r, NULL, NULL, &tv), 1);
    EXPECT_EQ("select: over a second left, under two", tv.tv_sec == 1 && tv.tv_usec > 0, 1);
    EXPECT_EQ("read", read(fds[0], &byte, 1), 1);
    EXPECT_EQ("child", reap(child), 0);

    child = later(100, fds[1]);
    struct timespec ts = {2, 0};
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    EXPECT_EQ("pselect readable", pselect(fds[0] + 1, &r, NULL, NULL, &ts, NULL), 1);
    /* glibc's pselect passes a copy: its timeout is never written. */
    EXPECT_EQ("pselect's own timeout untouched", ts.tv_sec == 2 && ts.tv_nsec == 0, 1);
    EXPECT_EQ("read", read(fds[0], &byte, 1), 1);
    EXPECT_EQ("child", reap(child), 0);

    child = later(100, fds[1]);
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    ts.tv_sec = 2;
    ts.tv_nsec = 0;
    EXPECT_EQ("ppoll readable", ppoll(&pfd, 1, &ts, NULL), 1);
    EXPECT_EQ("ppoll's own timeout untouched", ts.tv_sec == 2 && ts.tv_nsec == 0, 1);
    EXPECT_EQ("read", read(fds[0], &byte, 1), 1);
    EXPECT_EQ("child", reap(child), 0);

    /* The system calls themselves: ppoll (32-bit timespec) and ppoll_time64. */
    child = later(100, fds[1]);
    ts.tv_sec = 2;
    ts.tv_nsec = 0;
    EXPECT_EQ("SYS_ppoll readable", syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8), 1);
    EXPECT_EQ("SYS_ppoll: over a second left, under two", ts.tv_sec == 1 && ts.tv_nsec > 0, 1);
    EXPECT_EQ("read", read(fds[0], &byte, 1), 1);
    EXPECT_EQ("child", reap(child), 0);

    child = later(100, fds[1]);
    struct {
        long long sec, nsec;
    } wide = {2, 0};
    EXPECT_EQ("SYS_ppoll_time64 readable", syscall(SYS_ppoll_time64, &pfd, 1, &wide, NULL, 8), 1);
    EXPECT_EQ("SYS_ppoll_time64: over a second left, under two", wide.sec == 1 && wide.nsec > 0, 1);
    EXPECT_EQ("read", read(fds[0], &byte, 1), 1);
    EXPECT_EQ("child", reap(child), 0);

    /* Ready at once: a zero timeout stays zero, a long one is all but whole. */
    EXPECT_EQ("write", write(fds[1], "y", 1), 1);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    EXPECT_EQ("select ready, zero timeout", select(fds[0] + 1, &r, NULL, NULL, &tv), 1);
    EXPECT_EQ("zero stays zero", tv.tv_sec == 0 && tv.tv_usec == 0, 1);
    tv.tv_sec = 5;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    EXPECT_EQ("select ready at once", select(fds[0] + 1, &r, NULL, NULL, &tv), 1);
    EXPECT_EQ("over four seconds left", tv.tv_sec == 4 && tv.tv_usec > 0, 1);
    EXPECT_EQ("read", read(fds[0], &byte, 1), 1);

    /* A handler ends the wait: EINTR (what is left is not compared: see above). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    child = later(100, -1);
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    EXPECT_ERR("select a handler ends", select(fds[0] + 1, &r, NULL, NULL, &tv), EINTR);
    EXPECT_EQ("handler ran", hits, 1);
    EXPECT_EQ("child", reap(child), 0);
    return finish();
}
