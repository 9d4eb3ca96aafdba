/* thread_storm: a hostile threaded process (issue 18 item 2): 12 threads make 1,500
 * random futex calls each (every operation, known or not, with random flags, words at
 * random addresses: unmapped, misaligned, page 0, the top of memory, or shared words,
 * random values, counts and bitsets, timeouts valid and short, garbage or malformed;
 * every wait has a deadline a few milliseconds away, so a waiter requeued anywhere still
 * ends) while they send each other handled signals (tgkill); no futex call may change
 * the shared words (WAKE_OP, which writes its second word, and the priority-inheritance
 * calls, which write theirs, are given scratch words instead). Then threads are made until refused (EAGAIN: the process table or the
 * address space for their stacks), all joined, and made again; a futex ping-pong of
 * 2,000 rounds must still work; an execve from a thread that is not the leader, and one
 * from the leader with threads running, must replace the process (/tests/exit42's
 * status, the pid kept). Run by the emulator only. Exits 0 when all held. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { kThreads = 12, kCalls = 1500, kWords = 8 };

static int g_failed;
#define REQUIRE(cond, ...)                   \
    do {                                     \
        if (!(cond)) {                       \
            printf("thread_storm: FAIL: " __VA_ARGS__); \
            printf("\n");                    \
            g_failed = 1;                    \
        }                                    \
    } while (0)

static int g_words[kWords];
static int g_scratch[kWords]; /* WAKE_OP's second words: it writes them on purpose */
static const int kWordValue[kWords] = {0, 1, 2, 3, -1, 0x7fffffff, 5, 0};
static pthread_t g_threads[kThreads];
static long g_tids[kThreads];
static volatile int g_signals;

static void on_usr1(int sig) {
    (void)sig;
    __atomic_fetch_add(&g_signals, 1, __ATOMIC_RELAXED);
}

struct rng {
    uint32_t s;
};
static uint32_t next(struct rng *r) {
    r->s ^= r->s << 13;
    r->s ^= r->s >> 17;
    r->s ^= r->s << 5;
    return r->s;
}

static uint32_t word_address(struct rng *r) {
    switch (next(r) % 8) {
        case 0: return 0;
        case 1: return 0x10000000u + (next(r) & 0x3ffffffcu); /* unmapped */
        case 2: return 0xfffffffcu - (next(r) % 4) * 4;       /* the top */
        case 3: return next(r) & 0xffcu;                      /* page 0 */
        case 4: return (uint32_t)(uintptr_t)&g_words[next(r) % kWords] + 1 + next(r) % 3; /* misaligned */
        default: return (uint32_t)(uintptr_t)&g_words[next(r) % kWords];
    }
}

static long futex_raw(uint32_t uaddr, uint32_t op, uint32_t val, uint32_t timeout, uint32_t uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static void *storm(void *arg) {
    long index = (long)arg;
    struct rng r = {0x9e3779b9u ^ (uint32_t)(index * 0x85ebca6bu)};
    g_tids[index] = syscall(SYS_gettid);
    struct timespec ts;
    for (int i = 0; i < kCalls; i++) {
        uint32_t command = next(&r) % 14; /* 0..13: every operation and a few unknown */
        uint32_t flags = (next(&r) % 2 ? FUTEX_PRIVATE_FLAG : 0) | (next(&r) % 4 == 0 ? FUTEX_CLOCK_REALTIME : 0);
        uint32_t op = command | flags;
        if (next(&r) % 50 == 0)
            op = next(&r); /* garbage */
        uint32_t uaddr = word_address(&r), uaddr2 = word_address(&r);
        uint32_t val = next(&r) % 3 == 0 ? next(&r) : (uint32_t)kWordValue[next(&r) % kWords];
        uint32_t val3 = next(&r) % 4 == 0 ? 0 : next(&r);
        uint32_t timeout;
        uint32_t base = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        int waits = base == FUTEX_WAIT || base == FUTEX_WAIT_BITSET || base == FUTEX_LOCK_PI ||
                    base == FUTEX_WAIT_REQUEUE_PI || base == 13 /* LOCK_PI2 */;
        if (!waits) {
            timeout = next(&r) % 2 ? next(&r) % 64 : next(&r); /* REQUEUE's val2, or ignored */
        } else {
            switch (next(&r) % 6) {
                case 0: timeout = next(&r) & 0xfffu; break;              /* page 0: EFAULT */
                case 1: timeout = 0x10000000u + (next(&r) & 0xffffu); break; /* unmapped */
                case 2:
                    ts.tv_sec = -1;
                    ts.tv_nsec = 0;
                    timeout = (uint32_t)(uintptr_t)&ts;
                    break;
                default: {
                    /* A deadline a few ms away: relative for WAIT, absolute otherwise. */
                    long ms = next(&r) % 4;
                    if (base == FUTEX_WAIT) {
                        ts.tv_sec = 0;
                        ts.tv_nsec = ms * 1000000L;
                    } else {
                        clock_gettime((op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
                        ts.tv_nsec += ms * 1000000L;
                        ts.tv_sec += ts.tv_nsec / 1000000000L;
                        ts.tv_nsec %= 1000000000L;
                    }
                    timeout = (uint32_t)(uintptr_t)&ts;
                }
            }
        }
        if (base == FUTEX_WAKE_OP && uaddr2 >= (uint32_t)(uintptr_t)g_words &&
            uaddr2 < (uint32_t)(uintptr_t)(g_words + kWords))
            uaddr2 += (uint32_t)((uintptr_t)g_scratch - (uintptr_t)g_words);
        /* The priority-inheritance calls write their word on purpose (an owner's tid,
         * FUTEX_WAITERS): scratch words too. */
        int pi = base == FUTEX_LOCK_PI || base == FUTEX_UNLOCK_PI || base == FUTEX_TRYLOCK_PI || base == 13;
        if (pi && uaddr >= (uint32_t)(uintptr_t)g_words && uaddr < (uint32_t)(uintptr_t)(g_words + kWords))
            uaddr += (uint32_t)((uintptr_t)g_scratch - (uintptr_t)g_words);
        futex_raw(uaddr, op, val, timeout, uaddr2, val3);
        if (next(&r) % 40 == 0) {
            long target = g_tids[next(&r) % kThreads];
            if (target != 0)
                syscall(SYS_tgkill, getpid(), target, SIGUSR1);
        }
    }
    return NULL;
}

static void *idle_thread(void *arg) {
    (void)arg;
    struct timespec t = {0, 200 * 1000000L};
    nanosleep(&t, NULL);
    return NULL;
}

static int ping;
static void *pong(void *arg) {
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        while (__atomic_load_n(&ping, __ATOMIC_SEQ_CST) != 2 * i + 1)
            syscall(SYS_futex, &ping, FUTEX_WAIT_PRIVATE, 2 * i, NULL, NULL, 0);
        __atomic_store_n(&ping, 2 * i + 2, __ATOMIC_SEQ_CST);
        syscall(SYS_futex, &ping, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
    return NULL;
}

static void *exec_exit42(void *arg) {
    (void)arg;
    char *argv[] = {"/tests/exit42", NULL};
    char *envp[] = {NULL};
    execve(argv[0], argv, envp);
    _exit(99);
}

static int exec_status(int from_thread) {
    pid_t child = fork();
    if (child == 0) {
        pthread_t t, idle;
        pthread_create(&idle, NULL, idle_thread, NULL);
        if (from_thread) {
            pthread_create(&t, NULL, exec_exit42, NULL);
            for (;;)
                pause();
        }
        exec_exit42(NULL);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    for (int i = 0; i < kWords; i++)
        g_words[i] = kWordValue[i];
    for (long i = 0; i < kThreads; i++)
        REQUIRE(pthread_create(&g_threads[i], NULL, storm, (void *)i) == 0, "pthread_create %ld", i);
    for (int i = 0; i < kThreads; i++)
        REQUIRE(pthread_join(g_threads[i], NULL) == 0, "pthread_join %d", i);
    for (int i = 0; i < kWords; i++)
        REQUIRE(g_words[i] == kWordValue[i], "word %d changed to %d", i, g_words[i]);
    printf("thread_storm: %d threads x %d futex calls, %d signals taken\n", kThreads, kCalls, g_signals);

    /* Threads until refused. */
    static pthread_t many[200];
    int made = 0, refusal = 0;
    for (; made < 200; made++) {
        int e = pthread_create(&many[made], NULL, idle_thread, NULL);
        if (e != 0) {
            refusal = e;
            break;
        }
    }
    REQUIRE(made < 200 && (refusal == EAGAIN || refusal == ENOMEM), "threads: %d made, refusal %d", made, refusal);
    for (int i = 0; i < made; i++)
        REQUIRE(pthread_join(many[i], NULL) == 0, "join %d", i);
    printf("thread_storm: %d threads made before the refusal (%s)\n", made > 0 ? made : 0,
           refusal == EAGAIN ? "EAGAIN" : "other");
    for (int i = 0; i < 10; i++) {
        pthread_t t;
        REQUIRE(pthread_create(&t, NULL, idle_thread, NULL) == 0 && pthread_join(t, NULL) == 0, "again %d", i);
    }

    pthread_t p;
    REQUIRE(pthread_create(&p, NULL, pong, NULL) == 0, "pong");
    for (int i = 0; i < 2000; i++) {
        __atomic_store_n(&ping, 2 * i + 1, __ATOMIC_SEQ_CST);
        syscall(SYS_futex, &ping, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        while (__atomic_load_n(&ping, __ATOMIC_SEQ_CST) != 2 * i + 2)
            syscall(SYS_futex, &ping, FUTEX_WAIT_PRIVATE, 2 * i + 1, NULL, NULL, 0);
    }
    REQUIRE(pthread_join(p, NULL) == 0, "join pong");
    printf("thread_storm: futex ping-pong 2000 rounds\n");

    int s = exec_status(1);
    REQUIRE(s == 42, "execve from a thread: status %d", s);
    s = exec_status(0);
    REQUIRE(s == 42, "execve from the leader with a thread: status %d", s);
    printf("thread_storm: %s\n", g_failed ? "FAILED" : "passed");
    return g_failed;
}
