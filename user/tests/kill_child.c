/* kill_child: kill, tkill and tgkill of a child with the default actions: SIGTERM and
 * SIGKILL end it (also while it is blocked in wait4 for a child of its own), SIGCHLD and
 * SIGWINCH are ignored, a signal it ignores (SIG_IGN) or blocks does not end it, signal
 * 0 probes; EINVAL for bad signals and ids, ESRCH for processes that do not exist (a
 * zombie still does). Orphans are not waited for here: the oracle's host may reap them
 * late. */
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct shared {
    volatile int ready;
    volatile int release;
    volatile int grandchild;
    volatile int grandchild_done;
};
static struct shared *sh;

/* A child that spins until released (then exits 0); `setup` runs first in it. */
static pid_t spinner(void (*setup)(void)) {
    sh->ready = 0;
    sh->release = 0;
    pid_t pid = fork();
    if (pid == 0) {
        if (setup)
            setup();
        sh->ready = 1;
        for (long i = 0; i < 100000000L && !sh->release; i++)
            sched_yield();
        _exit(0);
    }
    for (long i = 0; i < 100000000L && !sh->ready; i++)
        sched_yield();
    return pid;
}

static const char *how(pid_t pid) {
    int s;
    static char text[64];
    if (waitpid(pid, &s, 0) != pid)
        return "not reaped";
    if (WIFSIGNALED(s))
        snprintf(text, sizeof text, "signal %d", WTERMSIG(s));
    else
        snprintf(text, sizeof text, "exit %d", WEXITSTATUS(s));
    return text;
}

static void ignore_usr1(void) { signal(SIGUSR1, SIG_IGN); }
static void block_term(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

/* A child that forks a spinning grandchild and waits for it. */
static void waits_for_grandchild(void) {
    pid_t g = fork();
    if (g == 0) {
        for (long i = 0; i < 100000000L && !sh->release; i++)
            sched_yield();
        sh->grandchild_done = 1;
        _exit(0);
    }
    sh->grandchild = g;
    sh->ready = 1;
    int s;
    waitpid(g, &s, 0);
    _exit(4);
}

int main(void) {
    sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(sh != MAP_FAILED);
    pid_t pid = spinner(NULL);
    EXPECT_OK("kill(child, 0) probes", kill(pid, 0));
    EXPECT_ERR("kill(child, 65)", kill(pid, 65), EINVAL);
    EXPECT_ERR("kill(child, -1)", kill(pid, -1), EINVAL);
    EXPECT_OK("kill(child, SIGCHLD): ignored", kill(pid, SIGCHLD));
    EXPECT_OK("kill(child, SIGWINCH): ignored", kill(pid, SIGWINCH));
    EXPECT_OK("kill(child, SIGTERM)", kill(pid, SIGTERM));
    printf("the child ended: %s\n", how(pid));
    EXPECT_ERR("kill of the reaped child", kill(pid, 0), ESRCH);

    pid = spinner(NULL);
    EXPECT_OK("kill(child, SIGKILL)", kill(pid, SIGKILL));
    printf("the child ended: %s\n", how(pid));

    pid = spinner(NULL);
    EXPECT_OK("tkill(child, SIGINT)", syscall(SYS_tkill, pid, SIGINT));
    printf("the child ended: %s\n", how(pid));
    pid = spinner(NULL);
    EXPECT_ERR("tgkill(child, other tid)", syscall(SYS_tgkill, pid, 0x3fffffff, SIGTERM), ESRCH);
    EXPECT_ERR("tgkill(0, child)", syscall(SYS_tgkill, 0, pid, SIGTERM), EINVAL);
    EXPECT_ERR("tkill(0)", syscall(SYS_tkill, 0, SIGTERM), EINVAL);
    EXPECT_ERR("tkill(-1)", syscall(SYS_tkill, -1, SIGTERM), EINVAL);
    EXPECT_OK("tgkill(child, child, SIGUSR2)", syscall(SYS_tgkill, pid, pid, SIGUSR2));
    printf("the child ended: %s\n", how(pid));

    pid = spinner(ignore_usr1);
    EXPECT_OK("kill(child, SIGUSR1) it ignores", kill(pid, SIGUSR1));
    EXPECT_OK("it still lives", kill(pid, 0));
    sh->release = 1;
    printf("the child ended: %s\n", how(pid));

    pid = spinner(block_term);
    EXPECT_OK("kill(child, SIGTERM) it blocks", kill(pid, SIGTERM));
    EXPECT_OK("it still lives", kill(pid, 0));
    EXPECT_OK("SIGKILL is never blocked", kill(pid, SIGKILL));
    printf("the child ended: %s\n", how(pid));

    /* A zombie can still be signalled (nothing happens). */
    pid = fork();
    if (pid == 0)
        _exit(8);
    siginfo_t info;
    waitid(P_PID, pid, &info, WEXITED | WNOWAIT);
    EXPECT_OK("kill(zombie, 0)", kill(pid, 0));
    EXPECT_OK("kill(zombie, SIGKILL)", kill(pid, SIGKILL));
    printf("the zombie ended: %s\n", how(pid));

    /* A child blocked in wait4 dies of SIGKILL; its orphan goes on until released. */
    sh->ready = 0;
    sh->release = 0;
    pid = fork();
    if (pid == 0)
        waits_for_grandchild();
    for (long i = 0; i < 100000000L && !sh->ready; i++)
        sched_yield();
    for (int i = 0; i < 20; i++)
        sched_yield(); /* (it is most likely in wait4 by now; either way it must die) */
    EXPECT_OK("kill(child waiting in wait4, SIGKILL)", kill(pid, SIGKILL));
    printf("the waiting child ended: %s\n", how(pid));
    EXPECT_OK("its orphan lives on", kill(sh->grandchild, 0));
    sh->release = 1;
    for (long i = 0; i < 100000000L && !sh->grandchild_done; i++)
        sched_yield();
    EXPECT_EQ("the orphan ran to its end", sh->grandchild_done, 1);

    EXPECT_ERR("kill of no process", kill(0x3fffffff, 0), ESRCH);
    EXPECT_ERR("kill of no group", kill(-0x3fffffff, 0), ESRCH);
    EXPECT_ERR("kill(INT_MIN)", kill(-2147483647 - 1, 0), ESRCH);
    return finish();
}
