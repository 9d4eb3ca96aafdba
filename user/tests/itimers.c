/* itimers: interval timers and alarm (setitimer(2), alarm(2)): alarm returns what was
 * left of the last one in whole seconds; ITIMER_REAL fires SIGALRM once or every
 * interval; getitimer reports the interval as set and what is left; a timer's signal
 * ends a process that does not catch it; fork does not inherit timers; ITIMER_VIRTUAL and
 * ITIMER_PROF fire on processor time (SIGVTALRM, SIGPROF); Linux's errors (EINVAL for a
 * bad timer or timeval, EFAULT). */
#include "check.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile int g_alarms, g_vtalarms, g_profs;

static void on_signal(int signal) {
    if (signal == SIGALRM)
        g_alarms++;
    else if (signal == SIGVTALRM)
        g_vtalarms++;
    else if (signal == SIGPROF)
        g_profs++;
}

static void set_timer(int which, long value_us, long interval_us) {
    struct itimerval v;
    memset(&v, 0, sizeof v);
    v.it_value.tv_sec = value_us / 1000000;
    v.it_value.tv_usec = value_us % 1000000;
    v.it_interval.tv_sec = interval_us / 1000000;
    v.it_interval.tv_usec = interval_us % 1000000;
    CHECK(setitimer(which, &v, NULL) == 0);
}

/* Computes until `counter` reaches `want` (or a bound far above what it needs). */
static void compute_until(volatile int *counter, int want) {
    for (long round = 0; *counter < want && round < 200000000L; round++) {
    }
}

int main(void) {
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_signal;
    sigemptyset(&act.sa_mask);
    CHECK(sigaction(SIGALRM, &act, NULL) == 0);
    CHECK(sigaction(SIGVTALRM, &act, NULL) == 0);
    CHECK(sigaction(SIGPROF, &act, NULL) == 0);

    /* alarm: what was left, rounded to whole seconds. */
    EXPECT_EQ("alarm(0) with none set", alarm(0), 0);
    EXPECT_EQ("alarm(5)", alarm(5), 0);
    EXPECT_EQ("alarm(2) returns the 5 left", alarm(2), 5);
    EXPECT_EQ("alarm(0) returns the 2 left", alarm(0), 2);
    EXPECT_EQ("alarm(0) again", alarm(0), 0);

    /* getitimer: the interval as set, what is left at most the value. */
    struct itimerval got;
    set_timer(ITIMER_REAL, 10 * 1000000L, 3250000L);
    EXPECT_OK("getitimer ITIMER_REAL", getitimer(ITIMER_REAL, &got));
    EXPECT_EQ("  interval seconds", got.it_interval.tv_sec, 3);
    EXPECT_EQ("  interval microseconds", got.it_interval.tv_usec, 250000);
    EXPECT_EQ("  left: 9 or 10 seconds", got.it_value.tv_sec == 9 || got.it_value.tv_sec == 10, 1);
    struct itimerval zero, old;
    memset(&zero, 0, sizeof zero);
    EXPECT_OK("setitimer disarms, returns the old one", setitimer(ITIMER_REAL, &zero, &old));
    EXPECT_EQ("  old interval", old.it_interval.tv_sec, 3);
    EXPECT_OK("getitimer disarmed", getitimer(ITIMER_REAL, &got));
    EXPECT_EQ("  nothing left", got.it_value.tv_sec == 0 && got.it_value.tv_usec == 0, 1);
    EXPECT_EQ("  no interval", got.it_interval.tv_sec == 0 && got.it_interval.tv_usec == 0, 1);

    /* A one-shot ITIMER_REAL: pause ends with its SIGALRM. */
    set_timer(ITIMER_REAL, 50000, 0);
    EXPECT_ERR("pause until SIGALRM", pause(), EINTR);
    EXPECT_EQ("one SIGALRM", g_alarms, 1);
    EXPECT_OK("getitimer after it fired", getitimer(ITIMER_REAL, &got));
    EXPECT_EQ("  disarmed", got.it_value.tv_sec == 0 && got.it_value.tv_usec == 0, 1);

    /* Every 20 ms: five of them, then disarmed. */
    g_alarms = 0;
    set_timer(ITIMER_REAL, 20000, 20000);
    sigset_t none;
    sigemptyset(&none);
    while (g_alarms < 5)
        sigsuspend(&none);
    set_timer(ITIMER_REAL, 0, 0);
    EXPECT_EQ("five periodic SIGALRMs", g_alarms, 5);

    /* alarm with the signal's default action ends the process; fork inherits no timer. */
    alarm(100);
    pid_t child = fork();
    if (child == 0) {
        signal(SIGALRM, SIG_DFL);
        printf("child: alarm left from the parent: %u\n", alarm(0));
        fflush(stdout);
        set_timer(ITIMER_REAL, 30000, 0);
        for (;;)
            pause();
    }
    CHECK(child > 0);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    EXPECT_EQ("child ended by SIGALRM", WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM, 1);
    EXPECT_EQ("the parent's alarm is still set", alarm(0) > 90, 1);

    /* Processor-time timers. */
    set_timer(ITIMER_VIRTUAL, 30000, 0);
    compute_until(&g_vtalarms, 1);
    EXPECT_EQ("SIGVTALRM after 30 ms of computing", g_vtalarms, 1);
    set_timer(ITIMER_PROF, 20000, 20000);
    compute_until(&g_profs, 3);
    set_timer(ITIMER_PROF, 0, 0);
    EXPECT_EQ("three SIGPROFs every 20 ms of computing", g_profs >= 3, 1);

    /* Errors. */
    struct itimerval bad;
    memset(&bad, 0, sizeof bad);
    bad.it_value.tv_usec = 1000000;
    EXPECT_ERR("setitimer microseconds 1000000", setitimer(ITIMER_REAL, &bad, NULL), EINVAL);
    bad.it_value.tv_usec = 0;
    bad.it_interval.tv_sec = -1;
    EXPECT_ERR("setitimer negative interval", setitimer(ITIMER_REAL, &bad, NULL), EINVAL);
    EXPECT_ERR("setitimer timer 3", syscall(SYS_setitimer, 3, &zero, NULL), EINVAL);
    EXPECT_ERR("getitimer timer 3", syscall(SYS_getitimer, 3, &got), EINVAL);
    EXPECT_ERR("setitimer bad new", syscall(SYS_setitimer, ITIMER_REAL, (void *)1, NULL), EFAULT);
    EXPECT_ERR("getitimer bad pointer", syscall(SYS_getitimer, ITIMER_REAL, (void *)1), EFAULT);
    return finish();
}
