/* orphans: a process whose parent ends is re-parented (to init, or a subreaper on the
 * oracle's host: only the change is compared) and runs on; its old parent's parent
 * cannot wait for it (ECHILD once its own child is reaped). getppid is the parent's pid
 * before that. */
#include "check.h"
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

struct shared {
    volatile int middle_pid;
    volatile int grandchild_saw_middle;
    volatile int grandchild_reparented;
    volatile int grandchild_done;
    volatile int grandchild_started;
};

int main(void) {
    struct shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(sh != MAP_FAILED);
    pid_t self = getpid();
    pid_t middle = fork();
    if (middle == 0) {
        sh->middle_pid = getpid();
        CHECK(getppid() == self);
        pid_t g = fork();
        if (g == 0) {
            sh->grandchild_saw_middle = getppid() == sh->middle_pid;
            sh->grandchild_started = 1;
            /* Waits for its parent to end. */
            for (long i = 0; i < 100000000L && getppid() == sh->middle_pid; i++)
                sched_yield();
            sh->grandchild_reparented = getppid() != sh->middle_pid && getppid() != self;
            sh->grandchild_done = 1;
            _exit(0);
        }
        /* Ends only once the grandchild has looked at its parent. */
        for (long i = 0; i < 100000000L && !sh->grandchild_started; i++)
            sched_yield();
        _exit(check_failures == 0 ? 3 : 1);
    }
    int s;
    EXPECT_EQ("the middle process reaped", waitpid(middle, &s, 0) == middle, 1);
    EXPECT_EQ("... exit 3", WEXITSTATUS(s), 3);
    for (long i = 0; i < 100000000L && !sh->grandchild_done; i++)
        sched_yield();
    EXPECT_EQ("the grandchild's parent was the middle one", sh->grandchild_saw_middle, 1);
    EXPECT_EQ("the grandchild was re-parented away from it", sh->grandchild_reparented, 1);
    EXPECT_ERR("the grandchild is not ours to wait for", wait(&s), ECHILD);
    return finish();
}
