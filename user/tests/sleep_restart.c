/* sleep_restart: a sleep a signal ends (Linux's ERESTART_RESTARTBLOCK). With a handler it
 * ends with EINTR and a relative sleep writes what was left (an absolute one does not);
 * without one it goes on: a stop and a continue, or a signal that is ignored, leave
 * nanosleep sleeping to its first deadline, for long sleeps and for short ones alike.
 * Times are checked against generous bounds only (the oracle's clock is the host's). */
#include "check.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static volatile int hits;
static void on_usr1(int sig) {
    (void)sig;
    hits++;
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
}

/* A child that sends `sig` to the parent after `ms`, then exits. */
static pid_t signaller(long ms, int sig) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        nap(ms);
        kill(parent, sig);
        _exit(0);
    }
    return pid;
}

static int reap(pid_t pid) {
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Stops and continues `child` `rounds` times, `ms` apart, then reaps it. */
static int stop_and_continue(pid_t child, int rounds, long ms) {
    for (int i = 0; i < rounds; i++) {
        nap(ms);
        int status;
        if (kill(child, SIGSTOP) != 0 || waitpid(child, &status, WUNTRACED) != child || !WIFSTOPPED(status))
            return -1;
        nap(ms);
        if (kill(child, SIGCONT) != 0)
            return -1;
    }
    return reap(child);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);

    /* A handler: EINTR, and the relative sleep's remainder. */
    pid_t child = signaller(100, SIGUSR1);
    struct timespec second = {1, 0}, rem = {77, 77};
    EXPECT_ERR("nanosleep a handler ends", nanosleep(&second, &rem), EINTR);
    EXPECT_EQ("handler ran", hits, 1);
    EXPECT_EQ("remainder written, under the second", rem.tv_sec == 0 && rem.tv_nsec > 0, 1);
    EXPECT_EQ("remainder over a third of it", rem.tv_nsec > 300 * 1000 * 1000L, 1);
    EXPECT_EQ("child", reap(child), 0);

    child = signaller(100, SIGUSR1);
    hits = 0;
    rem.tv_sec = rem.tv_nsec = 77;
    EXPECT_EQ("clock_nanosleep relative a handler ends",
              clock_nanosleep(CLOCK_MONOTONIC, 0, &second, &rem), EINTR);
    EXPECT_EQ("remainder written", rem.tv_sec == 0 && rem.tv_nsec > 300 * 1000 * 1000L, 1);
    EXPECT_EQ("child", reap(child), 0);

    child = signaller(100, SIGUSR1);
    long long until = now_ns() + 1000000000LL;
    struct timespec abs = {until / 1000000000LL, until % 1000000000LL};
    rem.tv_sec = rem.tv_nsec = 77;
    EXPECT_EQ("clock_nanosleep TIMER_ABSTIME a handler ends",
              clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem), EINTR);
    EXPECT_EQ("no remainder for an absolute sleep", rem.tv_sec == 77 && rem.tv_nsec == 77, 1);
    EXPECT_EQ("child", reap(child), 0);

    /* An ignored signal and SIGCHLD's default (ignore) do not end it. */
    signal(SIGUSR2, SIG_IGN);
    child = signaller(50, SIGUSR2);
    struct timespec fifth = {0, 200 * 1000 * 1000};
    long long t0 = now_ns();
    EXPECT_OK("nanosleep past an ignored signal and SIGCHLD", nanosleep(&fifth, NULL));
    EXPECT_EQ("slept it all", now_ns() - t0 >= 200000000LL, 1);
    EXPECT_EQ("child", reap(child), 0);

    /* A long sleep stopped and continued sleeps on to its first deadline: it returns 0
     * after about a second, not a second after it was continued. */
    child = fork();
    if (child == 0) {
        long long start = now_ns();
        int r = nanosleep(&second, NULL);
        long long slept = now_ns() - start;
        _exit(r != 0 ? 1 : slept < 1000000000LL ? 2 : slept >= 1150000000LL ? 3 : 0);
    }
    EXPECT_EQ("a long sleep stopped once: 0, on time", stop_and_continue(child, 1, 100), 0);

    /* Short sleeps stopped and continued: none of them ends with EINTR. */
    child = fork();
    if (child == 0) {
        int eintr = 0;
        struct timespec five = {0, 5 * 1000 * 1000};
        for (int i = 0; i < 200; i++)
            if (nanosleep(&five, NULL) == -1 && errno == EINTR)
                eintr++;
        _exit(eintr);
    }
    EXPECT_EQ("short sleeps stopped 8 times: no EINTR", stop_and_continue(child, 8, 15), 0);
    return finish();
}
