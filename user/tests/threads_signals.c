/* threads_signals: signals and processes with threads (issue 18 item 2): tgkill and
 * pthread_kill reach the named thread (its handler runs there); a process-directed kill
 * goes to a thread that does not block it; each thread its own signal mask (a signal
 * blocked by one thread waits pending for it); tgkill with a wrong process or an ended
 * thread is ESRCH; a thread blocked in read on a pipe while another runs; exit (exit_group)
 * from a thread ends the whole process with its status; a fatal signal ends every
 * thread; fork from a thread makes a process of one thread (the caller); SIGSTOP stops
 * every thread and SIGCONT continues them; a signal every thread blocks is the process's,
 * pending for each, taken by the first thread that waits for it (sigwait); CLOCK_PROCESS_CPUTIME_ID counts every thread's
 * time, an ended one's too. */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static long gettid_(void) { return syscall(SYS_gettid); }
static int tgkill_(long tgid, long tid, int sig) { return (int)syscall(SYS_tgkill, tgid, tid, sig); }

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static volatile long handler_tid[65];
static void on_signal(int sig) { handler_tid[sig] = gettid_(); }

static volatile long worker_tid;
static volatile int stop_worker;
static volatile int worker_saw_pending;

static void *worker(void *arg) {
    (void)arg;
    worker_tid = gettid_();
    while (!stop_worker)
        nap(2);
    return NULL;
}

/* Blocks SIGUSR1 in this thread only; reports it pending, then unblocks it. */
static volatile int masked_ready, masked_go;
static void *masked(void *arg) {
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    worker_tid = gettid_();
    masked_ready = 1;
    while (!masked_go)
        nap(2);
    sigset_t pending;
    sigpending(&pending);
    worker_saw_pending = sigismember(&pending, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return NULL;
}

static int pipe_fds[2];
static void *reader(void *arg) {
    (void)arg;
    char buf[16] = {0};
    long n = read(pipe_fds[0], buf, sizeof buf - 1);
    return (void *)(n == 5 && strcmp(buf, "hello") == 0 ? 1L : 0L);
}

static void *exiter(void *arg) {
    (void)arg;
    nap(20);
    exit(3);
}

static void *forker(void *arg) {
    (void)arg;
    pid_t child = fork();
    if (child == 0)
        _exit(getpid() == gettid_() ? 5 : 6);
    int status = 0;
    if (waitpid(child, &status, 0) != child)
        return (void *)-1L;
    return (void *)(long)(WIFEXITED(status) ? WEXITSTATUS(status) : 100);
}

/* Counts in shared memory until stopped (a thread and the main thread each their word). */
static volatile int *g_counts;
static void *count_forever(void *arg) {
    (void)arg;
    for (;;) {
        g_counts[1]++;
        nap(1);
    }
    return NULL;
}

/* Uses 40 ms of its own processor time. */
static void *burn(void *arg) {
    (void)arg;
    struct timespec t;
    do {
        for (volatile int i = 0; i < 1000; i++) {
        }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    } while (t.tv_sec == 0 && t.tv_nsec < 40 * 1000000L);
    return NULL;
}

/* Waits for the go, then reports what is pending and takes SIGUSR2 with sigwait. */
static volatile int g_go;
static volatile int g_pending_seen;
static void *sigwaiter(void *arg) {
    (void)arg;
    while (!g_go)
        nap(1);
    sigset_t pending, set;
    sigpending(&pending);
    g_pending_seen = sigismember(&pending, SIGUSR2);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    int sig = 0;
    sigwait(&set, &sig);
    return (void *)(long)sig;
}

static long long ns_of(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    /* tgkill to a thread: its handler runs in that thread. */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
    while (worker_tid == 0)
        nap(1);
    EXPECT_OK("tgkill to the worker", tgkill_(getpid(), worker_tid, SIGUSR1));
    for (int i = 0; i < 1000 && handler_tid[SIGUSR1] == 0; i++)
        nap(1);
    EXPECT_EQ("SIGUSR1's handler ran in the worker", handler_tid[SIGUSR1] == worker_tid, 1);
    EXPECT_ERR("tgkill, wrong process", tgkill_(getpid() + 100000, worker_tid, SIGUSR1), ESRCH);
    EXPECT_ERR("tgkill, bad signal", tgkill_(getpid(), worker_tid, 65), EINVAL);
    EXPECT_OK("tgkill, signal 0", tgkill_(getpid(), worker_tid, 0));

    /* kill to the process while the main thread blocks SIGUSR2: the worker takes it. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    EXPECT_OK("kill to the process", kill(getpid(), SIGUSR2));
    for (int i = 0; i < 1000 && handler_tid[SIGUSR2] == 0; i++)
        nap(1);
    EXPECT_EQ("SIGUSR2's handler ran in the worker", handler_tid[SIGUSR2] == worker_tid, 1);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    stop_worker = 1;
    CHECK(pthread_join(t, NULL) == 0);
    long ended = worker_tid;
    EXPECT_ERR("tgkill to an ended thread", tgkill_(getpid(), ended, SIGUSR1), ESRCH);

    /* A thread's own mask: SIGUSR1 waits pending for it until it unblocks it. */
    handler_tid[SIGUSR1] = 0;
    worker_tid = 0;
    CHECK(pthread_create(&t, NULL, masked, NULL) == 0);
    while (!masked_ready)
        nap(1);
    EXPECT_EQ("pthread_kill", pthread_kill(t, SIGUSR1), 0);
    nap(20);
    EXPECT_EQ("not taken while blocked", handler_tid[SIGUSR1], 0);
    masked_go = 1;
    CHECK(pthread_join(t, NULL) == 0);
    EXPECT_EQ("pending in the thread", worker_saw_pending, 1);
    EXPECT_EQ("taken by it once unblocked", handler_tid[SIGUSR1] == worker_tid, 1);

    /* A reader blocked on a pipe while this thread goes on. */
    EXPECT_OK("pipe", pipe(pipe_fds));
    CHECK(pthread_create(&t, NULL, reader, NULL) == 0);
    volatile long sum = 0;
    for (long i = 0; i < 20000; i++)
        sum += i;
    EXPECT_EQ("computed while the reader waits", sum, 19999L * 20000L / 2);
    nap(20);
    EXPECT_EQ("write", write(pipe_fds[1], "hello", 5), 5);
    void *ok;
    CHECK(pthread_join(t, &ok) == 0);
    EXPECT_EQ("the reader got the bytes", (long)ok, 1);

    /* fork from a thread: the child is one thread, the caller. */
    CHECK(pthread_create(&t, NULL, forker, NULL) == 0);
    void *status_of_child;
    CHECK(pthread_join(t, &status_of_child) == 0);
    EXPECT_EQ("fork in a thread: child's status", (long)status_of_child, 5);

    fflush(stdout);
    /* exit from a thread ends the process (glibc's exit is exit_group). */
    pid_t child = fork();
    if (child == 0) {
        pthread_t e, w2;
        pthread_create(&w2, NULL, worker, NULL);
        pthread_create(&e, NULL, exiter, NULL);
        pause();
        _exit(9);
    }
    int status = 0;
    EXPECT_EQ("waitpid", waitpid(child, &status, 0) == child, 1);
    EXPECT_EQ("exit in a thread: exited", WIFEXITED(status), 1);
    EXPECT_EQ("exit in a thread: status", WEXITSTATUS(status), 3);

    /* A fatal signal ends a process of several threads. */
    child = fork();
    if (child == 0) {
        pthread_t w3, w4;
        stop_worker = 0;
        pthread_create(&w3, NULL, worker, NULL);
        pthread_create(&w4, NULL, worker, NULL);
        for (;;)
            pause();
    }
    nap(30);
    EXPECT_OK("kill SIGTERM", kill(child, SIGTERM));
    EXPECT_EQ("waitpid", waitpid(child, &status, 0) == child, 1);
    EXPECT_EQ("killed by", WIFSIGNALED(status) ? WTERMSIG(status) : 0, SIGTERM);

    /* SIGSTOP stops every thread of a process, SIGCONT continues them all. */
    g_counts = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(g_counts != MAP_FAILED);
    child = fork();
    if (child == 0) {
        pthread_t c;
        pthread_create(&c, NULL, count_forever, NULL);
        for (;;) {
            g_counts[0]++;
            nap(1);
        }
    }
    for (int i = 0; i < 2000 && (g_counts[0] == 0 || g_counts[1] == 0); i++)
        nap(1);
    EXPECT_OK("kill SIGSTOP", kill(child, SIGSTOP));
    EXPECT_EQ("waitpid WUNTRACED", waitpid(child, &status, WUNTRACED) == child, 1);
    EXPECT_EQ("stopped by", WIFSTOPPED(status) ? WSTOPSIG(status) : 0, SIGSTOP);
    nap(20);
    int main_count = g_counts[0], thread_count = g_counts[1];
    nap(60);
    EXPECT_EQ("while stopped, the main thread counts no more", g_counts[0] == main_count, 1);
    EXPECT_EQ("while stopped, the other thread counts no more", g_counts[1] == thread_count, 1);
    EXPECT_OK("kill SIGCONT", kill(child, SIGCONT));
    EXPECT_EQ("waitpid WCONTINUED", waitpid(child, &status, WCONTINUED) == child, 1);
    EXPECT_EQ("continued", WIFCONTINUED(status), 1);
    for (int i = 0; i < 2000 && (g_counts[0] == main_count || g_counts[1] == thread_count); i++)
        nap(1);
    EXPECT_EQ("both count again", g_counts[0] > main_count && g_counts[1] > thread_count, 1);
    kill(child, SIGKILL);
    EXPECT_EQ("waitpid", waitpid(child, &status, 0) == child, 1);

    /* A signal every thread blocks stays the process's: pending for each thread, taken by
     * the first that waits for it. */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    CHECK(pthread_create(&t, NULL, sigwaiter, NULL) == 0);
    EXPECT_OK("kill SIGUSR2, blocked by every thread", kill(getpid(), SIGUSR2));
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ("pending for the main thread", sigismember(&pending, SIGUSR2), 1);
    g_go = 1;
    void *taken;
    CHECK(pthread_join(t, &taken) == 0);
    EXPECT_EQ("pending for the other thread", g_pending_seen, 1);
    EXPECT_EQ("its sigwait took it", (long)taken, SIGUSR2);
    sigpending(&pending);
    EXPECT_EQ("pending no more", sigismember(&pending, SIGUSR2), 0);
    /* The same with the other thread already in sigwait when the signal comes. */
    g_go = 1;
    CHECK(pthread_create(&t, NULL, sigwaiter, NULL) == 0);
    nap(50);
    EXPECT_OK("kill SIGUSR2 while it waits", kill(getpid(), SIGUSR2));
    CHECK(pthread_join(t, &taken) == 0);
    EXPECT_EQ("its sigwait took it", (long)taken, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);

    /* The process's processor time counts its threads', an ended one's too. */
    /* The reads are ordered so that this thread's time between them only adds to the
     * difference: the process clock first before, the own clock first after (read the
     * other way round, a clock read that took long, e.g. the host descheduling QEMU
     * between the two reads, was taken from the ended thread's share: seen under load). */
    long long process_before = ns_of(CLOCK_PROCESS_CPUTIME_ID), own_before = ns_of(CLOCK_THREAD_CPUTIME_ID);
    CHECK(pthread_create(&t, NULL, burn, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    long long own_used = ns_of(CLOCK_THREAD_CPUTIME_ID) - own_before;
    long long process_used = ns_of(CLOCK_PROCESS_CPUTIME_ID) - process_before;
    EXPECT_EQ("process CPU time took the ended thread's 40 ms", process_used - own_used >= 40 * 1000000LL, 1);
    return finish();
}
