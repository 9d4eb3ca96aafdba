/* clock: clock_gettime MONOTONIC non-decreasing over 2000 reads (and it moves), REALTIME
 * after 2020-01-01, the _COARSE forms, PROCESS_CPUTIME_ID and THREAD_CPUTIME_ID, time()
 * and gettimeofday agree with REALTIME, clock_getres (REALTIME/MONOTONIC at most 10 ms),
 * nanosleep of 1 ms advances MONOTONIC by at least 1 ms; errors: an unknown clock
 * (EINVAL), a bad timespec (EFAULT), nanosleep with tv_nsec >= 1e9 (EINVAL). */
#include "check.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static long long ns(const struct timespec *t) {
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void) {
    struct timespec a, b;
    EXPECT_OK("clock_gettime MONOTONIC", clock_gettime(CLOCK_MONOTONIC, &a));
    int ok = 1;
    long long first = ns(&a), prev = first;
    for (int i = 0; i < 2000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (ns(&b) < prev || b.tv_nsec < 0 || b.tv_nsec >= 1000000000L)
            ok = 0;
        prev = ns(&b);
    }
    EXPECT_EQ("monotonic never goes back", ok, 1);
    EXPECT_EQ("monotonic moved", prev > first, 1);

    EXPECT_OK("clock_gettime REALTIME", clock_gettime(CLOCK_REALTIME, &a));
    EXPECT_EQ("realtime after 2020-01-01", a.tv_sec > 1577836800, 1);
    time_t t = time(NULL);
    /* time() reads the coarse clock (one tick behind at most): a second less is fine. */
    EXPECT_EQ("time() within 2 s of REALTIME", t >= a.tv_sec - 1 && t <= a.tv_sec + 2, 1);
    struct timeval tv;
    EXPECT_OK("gettimeofday", gettimeofday(&tv, NULL));
    EXPECT_EQ("gettimeofday within 2 s", tv.tv_sec >= a.tv_sec && tv.tv_sec <= a.tv_sec + 2 && tv.tv_usec < 1000000, 1);
    EXPECT_OK("REALTIME_COARSE", clock_gettime(CLOCK_REALTIME_COARSE, &b));
    EXPECT_OK("MONOTONIC_COARSE", clock_gettime(CLOCK_MONOTONIC_COARSE, &b));
    EXPECT_OK("PROCESS_CPUTIME_ID", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b));
    EXPECT_EQ("  process cpu time > 0", ns(&b) > 0, 1);
    EXPECT_OK("THREAD_CPUTIME_ID", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b));

    struct timespec res;
    EXPECT_OK("clock_getres REALTIME", clock_getres(CLOCK_REALTIME, &res));
    EXPECT_EQ("  resolution in (0, 10 ms]", ns(&res) > 0 && ns(&res) <= 10000000, 1);
    EXPECT_OK("clock_getres MONOTONIC", clock_getres(CLOCK_MONOTONIC, &res));
    EXPECT_EQ("  resolution in (0, 10 ms]", ns(&res) > 0 && ns(&res) <= 10000000, 1);

    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec ms = {0, 1000000};
    EXPECT_OK("nanosleep 1 ms", nanosleep(&ms, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    EXPECT_EQ("  at least 1 ms passed", ns(&b) - ns(&a) >= 1000000, 1);
    EXPECT_OK("clock_nanosleep 1 ms", clock_nanosleep(CLOCK_MONOTONIC, 0, &ms, NULL) == 0 ? 0 : -1);

    EXPECT_ERR("clock_gettime clock 99", syscall(SYS_clock_gettime, 99, &a), EINVAL);
    EXPECT_ERR("clock_gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)1), EFAULT);
    EXPECT_ERR("clock_getres clock 99", syscall(SYS_clock_getres, 99, &res), EINVAL);
    struct timespec bad = {0, 1000000000L};
    EXPECT_ERR("nanosleep tv_nsec 1e9", nanosleep(&bad, NULL), EINVAL);
    return finish();
}
