/* kill_thread_id: kill(2) given the id of a thread that is not its process's leader
 * signals that thread's whole process, as Linux's kill_pid_info does (it finds the task
 * by any thread's id and signals its thread group): from the process itself and from
 * another (a forked child naming its parent's thread); kill(tid, 0) finds the process.
 * Output is deterministic: the handler only counts. */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t got;
static volatile long thread_tid;
static volatile int stop;

static void on_usr1(int s) {
    (void)s;
    got++;
}

static void *worker(void *arg) {
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    while (!stop)
        sched_yield();
    return NULL;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    EXPECT_OK("sigaction", sigaction(SIGUSR1, &sa, NULL));
    pthread_t t;
    EXPECT_EQ("pthread_create", pthread_create(&t, NULL, worker, NULL), 0);
    while (thread_tid == 0)
        sched_yield();
    EXPECT_EQ("the thread's id is not the pid", thread_tid != getpid(), 1);

    EXPECT_OK("kill(thread id, 0)", kill((pid_t)thread_tid, 0));
    EXPECT_OK("kill(thread id, SIGUSR1)", kill((pid_t)thread_tid, SIGUSR1));
    while (got < 1)
        sched_yield();
    EXPECT_EQ("handled once", (int)got, 1);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(kill((pid_t)thread_tid, SIGUSR1) == 0 ? 0 : 10 + errno);
    int status = 0;
    EXPECT_EQ("waitpid", waitpid(child, &status, 0) == child, 1);
    EXPECT_EQ("the child's kill(parent's thread id) succeeded", WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
    while (got < 2)
        sched_yield();
    EXPECT_EQ("handled twice", (int)got, 2);

    stop = 1;
    EXPECT_EQ("pthread_join", pthread_join(t, NULL), 0);
    return finish();
}
