/* pi_mutex: priority-inheritance futexes (FUTEX_LOCK_PI, FUTEX_TRYLOCK_PI,
 * FUTEX_UNLOCK_PI) as glibc's PTHREAD_PRIO_INHERIT mutexes use them: such a mutex can be
 * made (glibc asks the kernel first), four threads contending for it count right, trylock
 * and timedlock of one another thread holds fail with EBUSY and ETIMEDOUT; and the calls
 * themselves: the word names its owner, a waiter sets FUTEX_WAITERS and is handed the
 * lock by the unlock, EDEADLK for the owner locking again, EPERM for an unlock by another,
 * ESRCH for an owner that is no thread, EAGAIN for a trylock of a held lock, ETIMEDOUT,
 * EINVAL for a misaligned word, ENOSYS for LOCK_PI with FUTEX_CLOCK_REALTIME. */
/* oracle-none: qemu-m68k hands the PI calls to its host's kernel, which reads the
 * big-endian word as little-endian tids (ESRCH for every contended lock; glibc then
 * waits for ever), so these checks were written from Linux 6.1's kernel/futex/pi.c
 * and the program checks itself. */
#include "check.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

static pthread_mutex_t m;
static volatile long counter;

static void *count(void *arg) {
    (void)arg;
    for (int i = 0; i < 500; i++) {
        pthread_mutex_lock(&m);
        long c = counter;
        if (i % 50 == 0)
            sched_yield(); /* contention: the others find it held */
        counter = c + 1;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static volatile int result;
static void *try_it(void *arg) {
    (void)arg;
    result = pthread_mutex_trylock(&m);
    return NULL;
}
static void *time_it(void *arg) {
    (void)arg;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += 50 * 1000 * 1000;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    result = pthread_mutex_timedlock(&m, &t);
    return NULL;
}

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *t) {
    return syscall(SYS_futex, word, op, val, t, NULL, 0);
}

static uint32_t word;
static volatile int waiter_done;
static void *lock_word(void *arg) {
    (void)arg;
    long r = futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL);
    /* Handed the lock: the word names this thread now. */
    result = r == 0 && (word & FUTEX_TID_MASK) == (uint32_t)syscall(SYS_gettid);
    futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL);
    waiter_done = 1;
    return NULL;
}

int main(void) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    EXPECT_EQ("setprotocol PRIO_INHERIT", pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT), 0);
    EXPECT_EQ("init a PI mutex", pthread_mutex_init(&m, &a), 0);

    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, count, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    EXPECT_EQ("four threads counted", counter, 2000);

    pthread_mutex_lock(&m);
    pthread_create(&t[0], NULL, try_it, NULL);
    pthread_join(t[0], NULL);
    EXPECT_EQ("trylock of a held PI mutex", result, EBUSY);
    pthread_create(&t[0], NULL, time_it, NULL);
    pthread_join(t[0], NULL);
    EXPECT_EQ("timedlock of a held PI mutex", result, ETIMEDOUT);
    pthread_mutex_unlock(&m);
    pthread_create(&t[0], NULL, try_it, NULL);
    pthread_join(t[0], NULL);
    EXPECT_EQ("trylock of a free PI mutex", result, 0); /* and the thread ends holding it */

    /* The calls themselves. */
    uint32_t me = (uint32_t)syscall(SYS_gettid);
    word = 0;
    EXPECT_EQ("LOCK_PI of a free word", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL), 0);
    EXPECT_EQ("the word names the caller", word == me, 1);
    EXPECT_ERR("LOCK_PI again: EDEADLK", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL), EDEADLK);
    EXPECT_ERR("TRYLOCK_PI of its own: EDEADLK", futex(&word, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL), EDEADLK);
    EXPECT_EQ("UNLOCK_PI", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL), 0);
    EXPECT_EQ("the word is 0", word, 0);
    EXPECT_ERR("UNLOCK_PI of a free word: EPERM", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL), EPERM);
    EXPECT_EQ("TRYLOCK_PI of a free word", futex(&word, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL), 0);
    EXPECT_EQ("the word names the caller", word == me, 1);

    /* A waiter: it sets FUTEX_WAITERS, the unlock hands it the lock. */
    waiter_done = 0;
    result = 0;
    pthread_create(&t[0], NULL, lock_word, NULL);
    while ((word & FUTEX_WAITERS) == 0)
        sched_yield();
    EXPECT_EQ("a waiter set FUTEX_WAITERS", word == (me | FUTEX_WAITERS), 1);
    EXPECT_EQ("it waits", waiter_done, 0);
    EXPECT_EQ("UNLOCK_PI hands it on", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL), 0);
    pthread_join(t[0], NULL);
    EXPECT_EQ("the waiter had the lock", result, 1);
    EXPECT_EQ("and let it go", word, 0);

    /* Errors. */
    word = 0x3ffffff0; /* no such thread */
    EXPECT_ERR("LOCK_PI, owner no thread: ESRCH", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL), ESRCH);
    EXPECT_EQ("FUTEX_WAITERS set before the owner was looked for", word, 0x3ffffff0 | FUTEX_WAITERS);
    EXPECT_ERR("UNLOCK_PI by another: EPERM", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL), EPERM);
    uint32_t *held = (uint32_t *)&m; /* glibc's __lock is the mutex's first word, its owner's tid */
    EXPECT_ERR("TRYLOCK_PI, owner gone: ESRCH", futex(held, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL), ESRCH);

    uint32_t pair[2] = {0, 0};
    EXPECT_ERR("LOCK_PI misaligned: EINVAL",
               futex((uint32_t *)((char *)pair + 2), FUTEX_LOCK_PI_PRIVATE, 0, NULL), EINVAL);
    EXPECT_ERR("LOCK_PI with CLOCK_REALTIME: ENOSYS",
               futex(&word, FUTEX_LOCK_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, NULL), ENOSYS);
    return finish();
}
