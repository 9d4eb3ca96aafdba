/* threads_join: threads (issue 18 item 2): pthread_create and pthread_join with return
 * values; each thread its own tid (gettid) and the process's pid (getpid); a thread's
 * __thread variables are its own (glibc's TLS: the thread pointer set by clone's
 * CLONE_SETTLS); memory, descriptors and the heap are shared; a detached thread ends on
 * its own; a thread's exit (pthread_exit) clears its tid word and wakes the joiner
 * (CLONE_CHILD_CLEARTID); the main thread's pthread_exit leaves the process running
 * until the last thread ends. Output is deterministic: threads report through joins, not
 * by printing. */
#include "check.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define THREADS 6

static __thread int tls_value = 7;
static int shared_counter;
static int pipe_fds[2];

struct result {
    long tid;
    long pid;
    int tls_before, tls_after;
};

static void *worker(void *arg) {
    long n = (long)arg;
    struct result *r = malloc(sizeof *r);
    r->tid = syscall(SYS_gettid);
    r->pid = getpid();
    r->tls_before = tls_value;
    tls_value = 100 + (int)n;
    /* Others run meanwhile; this thread's copy stays its own. */
    for (int i = 0; i < 20; i++)
        sched_yield();
    r->tls_after = tls_value;
    __atomic_fetch_add(&shared_counter, (int)n, __ATOMIC_SEQ_CST);
    return r;
}

static void *writer(void *arg) {
    (void)arg;
    /* A descriptor opened by the main thread is this thread's too. */
    write(pipe_fds[1], "thread", 6);
    pthread_exit((void *)42);
}

static void *sleeper(void *arg) {
    (void)arg;
    struct timespec t = {0, 50 * 1000000L};
    nanosleep(&t, NULL);
    return (void *)7;
}

static volatile int detached_done;
static void *detached(void *arg) {
    (void)arg;
    detached_done = 1;
    return NULL;
}

/* In a child: the main thread ends with pthread_exit while a thread goes on; the
 * process's status is 0 (the main thread's) once that thread is done. */
static void *last_one(void *arg) {
    (void)arg;
    struct timespec t = {0, 30 * 1000000L};
    nanosleep(&t, NULL);
    printf("last thread: done\n");
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    long main_tid = syscall(SYS_gettid);
    EXPECT_EQ("main thread's tid is the pid", main_tid == getpid(), 1);
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, (void *)(i + 1)) == 0);
    long tids[THREADS];
    int distinct = 1;
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        CHECK(pthread_join(t[i], &ret) == 0);
        struct result *r = ret;
        tids[i] = r->tid;
        for (int j = 0; j < i; j++)
            if (tids[j] == r->tid)
                distinct = 0;
        if (r->tid == main_tid)
            distinct = 0;
        CHECK(r->pid == getpid());
        CHECK(r->tls_before == 7);
        CHECK(r->tls_after == 101 + i);
        free(r);
    }
    EXPECT_EQ("tids distinct", distinct, 1);
    EXPECT_EQ("main thread's __thread value untouched", tls_value, 7);
    EXPECT_EQ("shared counter", shared_counter, THREADS * (THREADS + 1) / 2);

    EXPECT_OK("pipe", pipe(pipe_fds));
    pthread_t w;
    CHECK(pthread_create(&w, NULL, writer, NULL) == 0);
    void *ret;
    CHECK(pthread_join(w, &ret) == 0);
    EXPECT_EQ("pthread_exit value", (long)ret, 42);
    char buf[8] = {0};
    EXPECT_EQ("read what the thread wrote", read(pipe_fds[0], buf, sizeof buf), 6);
    EXPECT_STR("bytes", buf, "thread");

    pthread_t s;
    CHECK(pthread_create(&s, NULL, sleeper, NULL) == 0);
    CHECK(pthread_join(s, &ret) == 0);
    EXPECT_EQ("joined a sleeping thread", (long)ret, 7);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    CHECK(pthread_create(&d, &attr, detached, NULL) == 0);
    for (int i = 0; i < 1000 && !detached_done; i++) {
        struct timespec nap = {0, 1000000L};
        nanosleep(&nap, NULL);
    }
    EXPECT_EQ("detached thread ran", detached_done, 1);

    /* Many threads one after another: their slots are used again. */
    int ok = 1;
    for (long i = 0; i < 40; i++) {
        pthread_t x;
        if (pthread_create(&x, NULL, sleeper, NULL) != 0 || pthread_join(x, &ret) != 0 || (long)ret != 7)
            ok = 0;
    }
    EXPECT_EQ("40 threads created and joined in turn", ok, 1);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pthread_t l;
        pthread_create(&l, NULL, last_one, NULL);
        pthread_exit(NULL);
    }
    int status = 0;
    EXPECT_EQ("waitpid", waitpid(child, &status, 0) == child, 1);
    EXPECT_EQ("main thread's pthread_exit: exited", WIFEXITED(status), 1);
    EXPECT_EQ("status", WEXITSTATUS(status), 0);
    return finish();
}
