/* threads_sync: threads synchronizing through glibc (issue 18 item 2): a mutex-protected counter
 * incremented by 8 threads (contended: they wait on the futex), a condition variable
 * queue between 3 producers and 3 consumers (every item taken once), a barrier, a
 * read-write lock, pthread_once, a semaphore, and pthread_cond_timedwait timing out
 * (ETIMEDOUT) on both clocks. Results are checked after the joins, so the output is
 * deterministic. */
#include "check.h"
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#define COUNTERS 8
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        long c = counter;
        if (i % 64 == 0)
            sched_yield(); /* inside the lock: the others contend */
        counter = c + 1;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

#define QUEUE 4
#define ITEMS 300
#define PRODUCERS 3
#define CONSUMERS 3

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int queue[QUEUE], head, count;
static int seen[PRODUCERS * ITEMS];
static int produced_done;

static void *produce(void *arg) {
    int base = (int)(long)arg * ITEMS;
    for (int i = 0; i < ITEMS; i++) {
        pthread_mutex_lock(&qlock);
        while (count == QUEUE)
            pthread_cond_wait(&not_full, &qlock);
        queue[(head + count) % QUEUE] = base + i;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&qlock);
    }
    return NULL;
}

static void *consume(void *arg) {
    long taken = 0;
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (count == 0 && produced_done < PRODUCERS)
            pthread_cond_wait(&not_empty, &qlock);
        if (count == 0) {
            pthread_mutex_unlock(&qlock);
            break;
        }
        int item = queue[head];
        head = (head + 1) % QUEUE;
        count--;
        seen[item]++;
        taken++;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&qlock);
    }
    return (void *)taken;
}

static pthread_barrier_t barrier;
static int before_barrier, after_ok = 1;
static void *at_barrier(void *arg) {
    (void)arg;
    __atomic_fetch_add(&before_barrier, 1, __ATOMIC_SEQ_CST);
    pthread_barrier_wait(&barrier);
    if (__atomic_load_n(&before_barrier, __ATOMIC_SEQ_CST) != 4)
        after_ok = 0;
    return NULL;
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int rw_value;
static void *rw_writer(void *arg) {
    (void)arg;
    for (int i = 0; i < 200; i++) {
        pthread_rwlock_wrlock(&rw);
        rw_value++;
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}
static void *rw_reader(void *arg) {
    (void)arg;
    int last = 0, monotonic = 1;
    for (int i = 0; i < 200; i++) {
        pthread_rwlock_rdlock(&rw);
        if (rw_value < last)
            monotonic = 0;
        last = rw_value;
        pthread_rwlock_unlock(&rw);
    }
    return (void *)(long)monotonic;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_body(void) { once_runs++; }
static void *call_once(void *arg) {
    (void)arg;
    pthread_once(&once, once_body);
    return NULL;
}

static sem_t sem;
static void *sem_poster(void *arg) {
    (void)arg;
    for (int i = 0; i < 5; i++)
        sem_post(&sem);
    return NULL;
}

int main(void) {
    pthread_t t[COUNTERS];
    for (int i = 0; i < COUNTERS; i++)
        CHECK(pthread_create(&t[i], NULL, count_up, NULL) == 0);
    for (int i = 0; i < COUNTERS; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    EXPECT_EQ("mutex counter", counter, COUNTERS * ROUNDS);

    pthread_t p[PRODUCERS], c[CONSUMERS];
    for (long i = 0; i < CONSUMERS; i++)
        CHECK(pthread_create(&c[i], NULL, consume, NULL) == 0);
    for (long i = 0; i < PRODUCERS; i++)
        CHECK(pthread_create(&p[i], NULL, produce, (void *)i) == 0);
    for (int i = 0; i < PRODUCERS; i++)
        CHECK(pthread_join(p[i], NULL) == 0);
    pthread_mutex_lock(&qlock);
    produced_done = PRODUCERS;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&qlock);
    long total = 0;
    for (int i = 0; i < CONSUMERS; i++) {
        void *taken;
        CHECK(pthread_join(c[i], &taken) == 0);
        total += (long)taken;
    }
    EXPECT_EQ("items consumed", total, PRODUCERS * ITEMS);
    int once_each = 1;
    for (int i = 0; i < PRODUCERS * ITEMS; i++)
        if (seen[i] != 1)
            once_each = 0;
    EXPECT_EQ("each item taken once", once_each, 1);

    pthread_barrier_init(&barrier, NULL, 4);
    pthread_t b[3];
    for (int i = 0; i < 3; i++)
        CHECK(pthread_create(&b[i], NULL, at_barrier, NULL) == 0);
    at_barrier(NULL);
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(b[i], NULL) == 0);
    EXPECT_EQ("barrier: all arrived before any left", after_ok, 1);

    pthread_t w[2], r[2];
    for (int i = 0; i < 2; i++) {
        CHECK(pthread_create(&w[i], NULL, rw_writer, NULL) == 0);
        CHECK(pthread_create(&r[i], NULL, rw_reader, NULL) == 0);
    }
    int readers_ok = 1;
    for (int i = 0; i < 2; i++) {
        void *ok;
        CHECK(pthread_join(w[i], NULL) == 0);
        CHECK(pthread_join(r[i], &ok) == 0);
        readers_ok &= (int)(long)ok;
    }
    EXPECT_EQ("rwlock writes", rw_value, 400);
    EXPECT_EQ("rwlock readers saw no value go back", readers_ok, 1);

    pthread_t o[4];
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&o[i], NULL, call_once, NULL) == 0);
    for (int i = 0; i < 4; i++)
        CHECK(pthread_join(o[i], NULL) == 0);
    EXPECT_EQ("pthread_once ran once", once_runs, 1);

    sem_init(&sem, 0, 0);
    pthread_t s;
    CHECK(pthread_create(&s, NULL, sem_poster, NULL) == 0);
    for (int i = 0; i < 5; i++)
        CHECK(sem_wait(&sem) == 0);
    CHECK(pthread_join(s, NULL) == 0);
    EXPECT_EQ("semaphore taken 5 times, then empty", sem_trywait(&sem) == -1 && errno == EAGAIN, 1);

    /* Timed waits that time out: CLOCK_REALTIME (the default) and CLOCK_MONOTONIC. */
    pthread_mutex_lock(&qlock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 30 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    EXPECT_EQ("cond_timedwait (realtime) times out", pthread_cond_timedwait(&not_empty, &qlock, &until), ETIMEDOUT);
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += 30 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    EXPECT_EQ("cond_clockwait (monotonic) times out",
              pthread_cond_clockwait(&not_empty, &qlock, CLOCK_MONOTONIC, &until), ETIMEDOUT);
    pthread_mutex_unlock(&qlock);
    return finish();
}
