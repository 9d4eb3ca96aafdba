/* process_groups: process groups and sessions with Linux's rules and errors. Everything
 * happens in a child (which leads no group, under the oracle's harness or here): fork
 * inherits the group and session; setsid makes a new session and group; a group leader
 * cannot setsid (EPERM); setpgid moves the caller or a child (ESRCH for others, EPERM
 * across sessions or into a group that does not exist, EINVAL for a negative group);
 * getpgid/getsid of other processes; kill of a whole group. */
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile int *release;

static pid_t sleeper(void) {
    pid_t pid = fork();
    if (pid == 0) {
        for (long i = 0; i < 100000000L && !*release; i++)
            sched_yield();
        _exit(0);
    }
    return pid;
}

static int run(void) {
    pid_t me = getpid();
    EXPECT_EQ("a child is in its parent's group", getpgrp() == getpgid(getppid()), 1);
    EXPECT_EQ("and session", getsid(0) == getsid(getppid()), 1);
    EXPECT_EQ("setsid in a child", setsid() == me, 1);
    EXPECT_EQ("getsid(0) is itself", getsid(0) == me, 1);
    EXPECT_EQ("getpgrp is itself", getpgrp() == me, 1);
    EXPECT_EQ("getpgid(0) is itself", getpgid(0) == me, 1);
    EXPECT_ERR("setsid again (a group leader)", setsid(), EPERM);
    EXPECT_ERR("setpgid(0, 0) of a session leader", setpgid(0, 0), EPERM);
    EXPECT_ERR("setpgid negative group", setpgid(0, -1), EINVAL);
    EXPECT_ERR("getpgid of no process", getpgid(0x3fffffff), ESRCH);
    EXPECT_ERR("getsid of no process", getsid(0x3fffffff), ESRCH);
    EXPECT_ERR("getpgid(-1)", getpgid(-1), ESRCH);

    pid_t a = sleeper(), b = sleeper(), c = sleeper();
    EXPECT_EQ("children in the new group", getpgid(a) == me && getpgid(b) == me, 1);
    EXPECT_EQ("and session", getsid(a) == me, 1);
    EXPECT_OK("setpgid(a, 0): a leads a group", setpgid(a, 0));
    EXPECT_EQ("getpgid(a) is a", getpgid(a) == a, 1);
    EXPECT_OK("setpgid(b, a): b joins it", setpgid(b, a));
    EXPECT_EQ("getpgid(b) is a", getpgid(b) == a, 1);
    EXPECT_ERR("setpgid(c, no such group)", setpgid(c, 0x3ffffff0), EPERM);
    EXPECT_ERR("setpgid of the parent (not a child)", setpgid(getppid(), 0), ESRCH);
    EXPECT_ERR("setpgid of no process", setpgid(0x3fffffff, 0), ESRCH);
    EXPECT_OK("kill(-a, 0): the group exists", kill(-a, 0));
    EXPECT_OK("kill(-a, SIGTERM) ends a and b", kill(-a, SIGTERM));
    int s;
    EXPECT_EQ("a ended by SIGTERM", waitpid(a, &s, 0) == a && WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM, 1);
    EXPECT_EQ("b ended by SIGTERM", waitpid(b, &s, 0) == b && WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM, 1);
    EXPECT_ERR("kill(-a, 0) once the group is gone", kill(-a, 0), ESRCH);
    EXPECT_OK("kill(0, 0): the caller's own group", kill(0, 0));
    *release = 1;
    EXPECT_EQ("c, untouched, exits 0", waitpid(c, &s, 0) == c && WIFEXITED(s) && WEXITSTATUS(s) == 0, 1);
    return check_failures;
}

int main(void) {
    release = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(release != MAP_FAILED);
    pid_t pid = fork();
    if (pid == 0)
        _exit(run() == 0 ? 0 : 1);
    int s;
    EXPECT_EQ("the child's checks passed", waitpid(pid, &s, 0) == pid && WIFEXITED(s) && WEXITSTATUS(s) == 0, 1);
    return finish();
}
