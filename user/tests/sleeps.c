/* sleeps: nanosleep and clock_nanosleep (relative, and TIMER_ABSTIME on MONOTONIC and
 * REALTIME) last at least what was asked and not grossly longer (under a second for
 * 50 ms); a deadline already past returns at once; a sleeping child does not hold up
 * its parent; errors: EINVAL for a bad timespec or clock. (Not here: a bad pointer, which
 * qemu-m68k takes down with SIGSEGV.) */
#include "check.h"
#include <sys/wait.h>
#include <time.h>

static long long now_ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    struct timespec d = {0, 50 * 1000 * 1000};
    long long t0 = now_ns(CLOCK_MONOTONIC);
    EXPECT_OK("nanosleep 50 ms", nanosleep(&d, NULL));
    long long slept = now_ns(CLOCK_MONOTONIC) - t0;
    EXPECT_EQ("slept at least 50 ms", slept >= 50000000LL, 1);
    EXPECT_EQ("slept under 1 s", slept < 1000000000LL, 1);

    t0 = now_ns(CLOCK_MONOTONIC);
    EXPECT_EQ("clock_nanosleep relative", clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL), 0);
    EXPECT_EQ("slept at least 50 ms again", now_ns(CLOCK_MONOTONIC) - t0 >= 50000000LL, 1);

    long long until = now_ns(CLOCK_MONOTONIC) + 40000000LL;
    struct timespec abs = {until / 1000000000LL, until % 1000000000LL};
    EXPECT_EQ("TIMER_ABSTIME monotonic", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
    EXPECT_EQ("woke after the deadline", now_ns(CLOCK_MONOTONIC) >= until, 1);

    until = now_ns(CLOCK_REALTIME) + 40000000LL;
    abs.tv_sec = until / 1000000000LL;
    abs.tv_nsec = until % 1000000000LL;
    EXPECT_EQ("TIMER_ABSTIME realtime", clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL), 0);
    EXPECT_EQ("woke after the realtime deadline", now_ns(CLOCK_REALTIME) >= until - 10000000LL, 1);

    abs.tv_sec = 1;
    abs.tv_nsec = 0;
    t0 = now_ns(CLOCK_MONOTONIC);
    EXPECT_EQ("a deadline past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
    EXPECT_EQ("returned at once", now_ns(CLOCK_MONOTONIC) - t0 < 20000000LL, 1);

    pid_t pid = fork();
    if (pid == 0) {
        struct timespec s = {0, 300 * 1000 * 1000};
        nanosleep(&s, NULL);
        _exit(7);
    }
    t0 = now_ns(CLOCK_MONOTONIC);
    volatile long spin = 0;
    for (long i = 0; i < 1000; i++)
        spin += i;
    EXPECT_EQ("parent runs while the child sleeps", now_ns(CLOCK_MONOTONIC) - t0 < 200000000LL, 1);
    int status;
    waitpid(pid, &status, 0);
    EXPECT_EQ("child's exit", WEXITSTATUS(status), 7);
    EXPECT_EQ("waited for the child's sleep", now_ns(CLOCK_MONOTONIC) - t0 >= 300000000LL, 1);

    struct timespec bad = {0, 1000000000};
    EXPECT_ERR("nanosleep bad nsec", nanosleep(&bad, NULL), EINVAL);
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    EXPECT_ERR("nanosleep negative", nanosleep(&bad, NULL), EINVAL);
    EXPECT_EQ("clock_nanosleep bad clock", clock_nanosleep(99, 0, &d, NULL), EINVAL);
    return finish();
}
