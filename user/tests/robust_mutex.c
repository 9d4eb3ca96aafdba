/* robust_mutex: robust mutexes (pthread_mutexattr_setrobust; Linux's robust futex lists,
 * set_robust_list): a thread or a process that ends holding one leaves it to the next
 * locker with EOWNERDEAD, who makes it consistent; a waiter blocked on it is woken so;
 * get_robust_list reports the caller's list and refuses an unknown thread. Checked
 * against Linux's source (kernel/futex/core.c: exit_robust_list, handle_futex_death). */
/* oracle-none: qemu-m68k answers set_robust_list with ENOSYS, so glibc walks a thread's
 * robust list itself at pthread exit and refuses process-shared robust mutexes (ENOTSUP):
 * it cannot stand for Linux's kernel walking the list at a thread's or process's end. */
#include "check.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static pthread_mutex_t *g_mutex;
static volatile int g_locked;

static void init_robust(pthread_mutex_t *m, int shared) {
    pthread_mutexattr_t a;
    CHECK(pthread_mutexattr_init(&a) == 0);
    CHECK(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0);
    if (shared)
        CHECK(pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) == 0);
    CHECK(pthread_mutex_init(m, &a) == 0);
    pthread_mutexattr_destroy(&a);
}

/* Locks the mutex and ends without unlocking it. */
static void *lock_and_leave(void *arg) {
    (void)arg;
    CHECK(pthread_mutex_lock(g_mutex) == 0);
    return NULL;
}

/* Locks it, says so, and ends a little later (the main thread waits on it meanwhile). */
static void *lock_and_leave_later(void *arg) {
    (void)arg;
    CHECK(pthread_mutex_lock(g_mutex) == 0);
    g_locked = 1;
    usleep(50000);
    return NULL;
}

int main(void) {
    static pthread_mutex_t local;
    g_mutex = &local;
    init_robust(g_mutex, 0);

    /* 1: a thread ends holding it. */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, lock_and_leave, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    EXPECT_EQ("lock after its owner thread ended", pthread_mutex_lock(g_mutex), EOWNERDEAD);
    EXPECT_EQ("pthread_mutex_consistent", pthread_mutex_consistent(g_mutex), 0);
    EXPECT_EQ("unlock", pthread_mutex_unlock(g_mutex), 0);
    EXPECT_EQ("lock again: a plain lock", pthread_mutex_lock(g_mutex), 0);
    EXPECT_EQ("unlock again", pthread_mutex_unlock(g_mutex), 0);

    /* 2: the main thread waits on it while its owner ends. */
    CHECK(pthread_create(&t, NULL, lock_and_leave_later, NULL) == 0);
    while (!g_locked)
        usleep(1000);
    EXPECT_EQ("a waiter woken by its owner's end", pthread_mutex_lock(g_mutex), EOWNERDEAD);
    CHECK(pthread_join(t, NULL) == 0);
    EXPECT_EQ("consistent", pthread_mutex_consistent(g_mutex), 0);
    EXPECT_EQ("unlock", pthread_mutex_unlock(g_mutex), 0);

    /* 3: a process-shared one in shared memory; a child process ends holding it. */
    pthread_mutex_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    init_robust(shared, 1);
    pid_t child = fork();
    if (child == 0) {
        CHECK(pthread_mutex_lock(shared) == 0);
        _exit(check_failures);
    }
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    EXPECT_EQ("the child locked it and exited", WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
    EXPECT_EQ("lock after the owner process ended", pthread_mutex_lock(shared), EOWNERDEAD);
    EXPECT_EQ("consistent", pthread_mutex_consistent(shared), 0);
    EXPECT_EQ("unlock", pthread_mutex_unlock(shared), 0);

    /* 4: an owner that dies unconsistent leaves it unusable after an unlock. */
    CHECK(pthread_create(&t, NULL, lock_and_leave, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    EXPECT_EQ("lock: owner dead", pthread_mutex_lock(g_mutex), EOWNERDEAD);
    EXPECT_EQ("unlock without making it consistent", pthread_mutex_unlock(g_mutex), 0);
    EXPECT_EQ("then it is not recoverable", pthread_mutex_lock(g_mutex), ENOTRECOVERABLE);

    /* get_robust_list. */
    void *head = NULL;
    size_t length = 0;
    EXPECT_OK("get_robust_list of the caller", syscall(SYS_get_robust_list, 0, &head, &length));
    EXPECT_EQ("its head is set", head != NULL, 1);
    EXPECT_EQ("its length", length, 12);
    EXPECT_ERR("get_robust_list of no thread", syscall(SYS_get_robust_list, 99999, &head, &length), ESRCH);
    EXPECT_ERR("set_robust_list with a bad length", syscall(SYS_set_robust_list, head, 11), EINVAL);
    return finish();
}
