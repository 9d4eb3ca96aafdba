/* futex_calls: futex(2) called directly (issue 18 item 2): FUTEX_WAIT's EAGAIN when the word differs,
 * ETIMEDOUT for a relative timeout, WAIT_BITSET's absolute timeouts on CLOCK_MONOTONIC
 * and (FUTEX_CLOCK_REALTIME) CLOCK_REALTIME, ENOSYS for that flag on plain WAIT, EINVAL
 * for a misaligned word, a zero bitset and a bad timespec, EFAULT for an unmapped word
 * and timeout; WAKE of nobody is 0, WAKE wakes as many as asked, WAKE_BITSET only the
 * waiters whose bitset meets its own, REQUEUE and CMP_REQUEUE move waiters to another
 * word (CMP_REQUEUE's EAGAIN when the word differs), WAKE_OP wakes on both words as its
 * comparison says (ENOSYS for an unknown operation or comparison), EINTR when a handled signal comes
 * to a waiting thread, the PRIVATE flag and futex_time64; a shared futex in MAP_SHARED
 * memory reaches another process (a PRIVATE wake there does not). Waiters are counted by
 * CMP_REQUEUE onto their own word with nothing woken, so nothing depends on timing. */
#include "check.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static long futex(int *uaddr, int op, int val, const void *timeout, int *uaddr2, int val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static int word_a, word_b;
static volatile int results[8];

/* How many threads wait on `w` now (none woken, none moved). */
static long waiters_on(int *w) { return futex(w, FUTEX_CMP_REQUEUE, 0, (void *)INT_MAX, w, *w); }

static void await_waiters(int *w, long n) {
    for (int i = 0; i < 5000 && waiters_on(w) != n; i++) {
        struct timespec t = {0, 1000000L};
        nanosleep(&t, NULL);
    }
}

struct waiter {
    int *word;
    int bitset;
    int slot;
};

static void *wait_plain(void *arg) {
    struct waiter *w = arg;
    long r = futex(w->word, FUTEX_WAIT, 0, NULL, NULL, 0);
    results[w->slot] = r == 0 ? 1 : -errno;
    return NULL;
}

static void *wait_bits(void *arg) {
    struct waiter *w = arg;
    long r = futex(w->word, FUTEX_WAIT_BITSET, 0, NULL, NULL, w->bitset);
    results[w->slot] = r == 0 ? 1 : -errno;
    return NULL;
}

static void on_usr1(int sig) { (void)sig; }

static void *wait_for_signal(void *arg) {
    (void)arg;
    long r = futex(&word_b, FUTEX_WAIT, 0, NULL, NULL, 0);
    results[7] = r == 0 ? 1 : errno;
    return NULL;
}

static struct timespec from_now(clockid_t clock, long ms) {
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_nsec += ms * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

int main(void) {
    int word = 5;
    struct timespec short_wait = {0, 20 * 1000000L};
    EXPECT_ERR("WAIT, word differs", futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0), EAGAIN);
    EXPECT_ERR("WAIT, 20 ms", futex(&word, FUTEX_WAIT, 5, &short_wait, NULL, 0), ETIMEDOUT);
    EXPECT_ERR("WAIT_PRIVATE, 20 ms", futex(&word, FUTEX_WAIT_PRIVATE, 5, &short_wait, NULL, 0), ETIMEDOUT);
    struct timespec zero = {0, 0};
    EXPECT_ERR("WAIT, zero timeout", futex(&word, FUTEX_WAIT, 5, &zero, NULL, 0), ETIMEDOUT);
    struct timespec until = from_now(CLOCK_MONOTONIC, 20);
    EXPECT_ERR("WAIT_BITSET, monotonic deadline", futex(&word, FUTEX_WAIT_BITSET, 5, &until, NULL, -1), ETIMEDOUT);
    until = from_now(CLOCK_REALTIME, 20);
    EXPECT_ERR("WAIT_BITSET|CLOCK_REALTIME, deadline",
               futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, &until, NULL, -1), ETIMEDOUT);
    struct timespec long_ago = {1, 0};
    EXPECT_ERR("WAIT_BITSET, deadline passed", futex(&word, FUTEX_WAIT_BITSET, 5, &long_ago, NULL, -1), ETIMEDOUT);
    EXPECT_ERR("WAIT_BITSET, passed, word differs", futex(&word, FUTEX_WAIT_BITSET, 6, &long_ago, NULL, -1),
               EAGAIN);
    EXPECT_ERR("WAIT|CLOCK_REALTIME", futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, &short_wait, NULL, 0),
               ENOSYS);
    EXPECT_ERR("WAKE|CLOCK_REALTIME", futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
    EXPECT_ERR("unknown operation", futex(&word, 99, 0, NULL, NULL, 0), ENOSYS);
    int pair[2] = {0, 0};
    int *misaligned = (int *)((char *)pair + 2);
    EXPECT_ERR("WAIT, misaligned", futex(misaligned, FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL);
    EXPECT_ERR("WAKE, misaligned", futex(misaligned, FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL);
    EXPECT_ERR("WAIT_BITSET, bitset 0", futex(&word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0), EINVAL);
    EXPECT_ERR("WAKE_BITSET, bitset 0", futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
    struct timespec bad = {0, 1000000000L};
    EXPECT_ERR("WAIT, tv_nsec 1e9", futex(&word, FUTEX_WAIT, 5, &bad, NULL, 0), EINVAL);
    struct timespec negative = {-1, 0};
    EXPECT_ERR("WAIT, negative tv_sec", futex(&word, FUTEX_WAIT, 5, &negative, NULL, 0), EINVAL);
    EXPECT_ERR("WAIT, unmapped word", futex((int *)16, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
    EXPECT_ERR("WAIT, unmapped timeout", futex(&word, FUTEX_WAIT, 5, (void *)16, NULL, 0), EFAULT);
    EXPECT_ERR("CMP_REQUEUE, word differs", futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &word_b, 4), EAGAIN);
    EXPECT_ERR("CMP_REQUEUE, negative count", futex(&word, FUTEX_CMP_REQUEUE, -1, (void *)1, &word_b, 5), EINVAL);
    EXPECT_ERR("REQUEUE, negative requeue count", futex(&word, FUTEX_REQUEUE, 1, (void *)-1, &word_b, 0), EINVAL);
    EXPECT_EQ("WAKE, nobody waits", futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
    EXPECT_EQ("WAKE_PRIVATE, nobody waits", futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 0);
#ifdef SYS_futex_time64
    struct {
        long long sec, nsec;
    } wide = {0, 20 * 1000000L};
    errno = 0;
    long r64 = syscall(SYS_futex_time64, &word, FUTEX_WAIT, 5, &wide, NULL, 0);
    EXPECT_EQ("futex_time64 WAIT, 20 ms: ETIMEDOUT", r64 == -1 && errno == ETIMEDOUT, 1);
#endif

    /* Three waiters on word_a: WAKE 2 wakes two, WAKE 5 the last. */
    pthread_t t[6];
    struct waiter w[6];
    for (int i = 0; i < 3; i++) {
        w[i] = (struct waiter){&word_a, -1, i};
        CHECK(pthread_create(&t[i], NULL, wait_plain, &w[i]) == 0);
    }
    await_waiters(&word_a, 3);
    EXPECT_EQ("three waiting", waiters_on(&word_a), 3);
    EXPECT_EQ("WAKE 2", futex(&word_a, FUTEX_WAKE, 2, NULL, NULL, 0), 2);
    await_waiters(&word_a, 1);
    EXPECT_EQ("one left waiting", waiters_on(&word_a), 1);
    EXPECT_EQ("WAKE 5", futex(&word_a, FUTEX_WAKE, 5, NULL, NULL, 0), 1);
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    EXPECT_EQ("woken waiters returned 0", results[0] + results[1] + results[2], 3);

    /* WAKE_BITSET: bitsets 1, 2, 3; waking bit 2 wakes the second and third. */
    for (int i = 0; i < 3; i++) {
        w[i] = (struct waiter){&word_a, i + 1, i};
        results[i] = 0;
        CHECK(pthread_create(&t[i], NULL, wait_bits, &w[i]) == 0);
    }
    await_waiters(&word_a, 3);
    EXPECT_EQ("WAKE_BITSET 2", futex(&word_a, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 2), 2);
    await_waiters(&word_a, 1);
    EXPECT_EQ("bitset 1 still waits", waiters_on(&word_a), 1);
    EXPECT_EQ("WAKE_BITSET 4 wakes nobody", futex(&word_a, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 4), 0);
    EXPECT_EQ("WAKE_BITSET 1", futex(&word_a, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 1), 1);
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    EXPECT_EQ("bitset waiters returned 0", results[0] + results[1] + results[2], 3);

    /* REQUEUE: 4 waiters on word_a; wake 1, move 2 to word_b; CMP_REQUEUE the last. */
    for (int i = 0; i < 4; i++) {
        w[i] = (struct waiter){&word_a, -1, i};
        results[i] = 0;
        CHECK(pthread_create(&t[i], NULL, wait_plain, &w[i]) == 0);
    }
    await_waiters(&word_a, 4);
    EXPECT_EQ("REQUEUE wake 1 move 2", futex(&word_a, FUTEX_REQUEUE, 1, (void *)2, &word_b, 0), 3);
    await_waiters(&word_b, 2);
    EXPECT_EQ("two on word_b", waiters_on(&word_b), 2);
    EXPECT_EQ("one left on word_a", waiters_on(&word_a), 1);
    EXPECT_EQ("CMP_REQUEUE wake 0 move 1", futex(&word_a, FUTEX_CMP_REQUEUE, 0, (void *)1, &word_b, 0), 1);
    EXPECT_EQ("three on word_b", waiters_on(&word_b), 3);
    EXPECT_EQ("none on word_a", waiters_on(&word_a), 0);
    EXPECT_EQ("WAKE word_b", futex(&word_b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 3);
    for (int i = 0; i < 4; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    EXPECT_EQ("requeued waiters returned 0", results[0] + results[1] + results[2] + results[3], 4);

    /* WAKE_OP: SET word_b to 0, wake one on word_a, and one on word_b if word_b was 0
     * (words of 0 only: qemu-m68k hands WAKE_OP to the host, which works on the word in
     * its own byte order, so only values alike in both orders compare). */
    for (int i = 0; i < 2; i++) {
        w[i] = (struct waiter){i == 0 ? &word_a : &word_b, -1, i};
        results[i] = 0;
        CHECK(pthread_create(&t[i], NULL, wait_plain, &w[i]) == 0);
    }
    await_waiters(&word_a, 1);
    await_waiters(&word_b, 1);
    EXPECT_EQ("WAKE_OP, comparison true",
              futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)), 2);
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    EXPECT_EQ("both woken", results[0] + results[1], 2);
    w[0] = (struct waiter){&word_b, -1, 0};
    results[0] = 0;
    CHECK(pthread_create(&t[0], NULL, wait_plain, &w[0]) == 0);
    await_waiters(&word_b, 1);
    EXPECT_EQ("WAKE_OP, comparison false",
              futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_NE, 0)), 0);
    EXPECT_EQ("the waiter on word_b still waits", waiters_on(&word_b), 1);
    EXPECT_ERR("WAKE_OP, unknown comparison",
               futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, FUTEX_OP(FUTEX_OP_SET, 0, 15, 0)), ENOSYS);
    EXPECT_ERR("WAKE_OP, unknown operation",
               futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, FUTEX_OP(7, 0, FUTEX_OP_CMP_EQ, 0)), ENOSYS);
    EXPECT_ERR("WAKE_OP, misaligned second word",
               futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, misaligned, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)),
               EINVAL);
    /* A PRIVATE futex is not the same futex as a shared one at the same word (Linux's
     * keys differ), even in private memory. */
    EXPECT_EQ("WAKE_OP_PRIVATE does not wake a shared waiter",
              futex(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word_b,
                    FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)),
              0);
    EXPECT_EQ("WAKE_PRIVATE neither", futex(&word_b, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
    EXPECT_EQ("WAKE_OP wakes it",
              futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)), 1);
    CHECK(pthread_join(t[0], NULL) == 0);
    EXPECT_EQ("woken", results[0], 1);

    /* A handled signal (no SA_RESTART) ends a thread's wait with EINTR. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t s;
    CHECK(pthread_create(&s, NULL, wait_for_signal, NULL) == 0);
    await_waiters(&word_b, 1);
    EXPECT_EQ("pthread_kill", pthread_kill(s, SIGUSR1), 0);
    CHECK(pthread_join(s, NULL) == 0);
    EXPECT_STR("waiter's result after the signal", err_name(results[7]), "EINTR");

    /* A shared futex in MAP_SHARED memory is one futex for every process mapping it; a
     * PRIVATE one there is each process's own. */
    int *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shm != MAP_FAILED);
    shm[1] = 0;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(futex(&shm[1], FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 0 : 1);
    await_waiters(&shm[1], 1);
    EXPECT_EQ("the child waits on the shared word", waiters_on(&shm[1]), 1);
    EXPECT_EQ("WAKE_PRIVATE there wakes nobody", futex(&shm[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
    EXPECT_EQ("WAKE wakes the child", futex(&shm[1], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
    int status = 0;
    EXPECT_EQ("waitpid", waitpid(child, &status, 0) == child, 1);
    EXPECT_EQ("the child's wait returned 0", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    return finish();
}
