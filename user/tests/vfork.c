/* vfork: the parent resumes only once its child has ended (or exec'd), with the child's
 * pid, and the child has ended by then (0 finds it); an execve that fails in a
 * vfork child leaves it to report it (ENOENT); clone with CLONE_VFORK as vfork. (A
 * successful exec is fork_storm's, in /stress: the unix suite's qemu-m68k cannot exec.
 * Whether the child's writes reach the parent is not tested: under vfork's rules a
 * child may only _exit or exec, and the emulator's vfork child has a copy-on-write copy.) */
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* A page of its own, written by the parent before its vfork (so that it is mapped
 * writable for the parent then). */
static volatile int page_of_its_own[1024] __attribute__((aligned(4096)));

int main(void) {
    char *const envp[] = {"PATH=/bin:/sbin", NULL};
    int s;

    pid_t pid = vfork();
    if (pid == 0)
        _exit(5);
    EXPECT_EQ("vfork returns a pid > 0", pid > 0, 1);
    EXPECT_EQ("the child reaped", waitpid(pid, &s, 0) == pid, 1);
    EXPECT_EQ("... exit 5", WEXITSTATUS(s), 5);

    pid = vfork();
    if (pid == 0) {
        for (int i = 0; i < 200; i++)
            sched_yield(); /* a slow child: the parent still waits */
        _exit(6);
    }
    EXPECT_EQ("a slow child reaped", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 6, 1);

    pid = vfork();
    if (pid == 0) {
        char *const bad[] = {"/no/such/program", NULL};
        execve("/no/such/program", bad, envp);
        _exit(errno == ENOENT ? 100 : 101);
    }
    EXPECT_EQ("a failed execve in the child (ENOENT)", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 100, 1);

    pid = vfork();
    if (pid == 0) {
        kill(getpid(), SIGTERM);
        _exit(7);
    }
    EXPECT_EQ("a vfork child killed by a signal", waitpid(pid, &s, 0) == pid && WTERMSIG(s) == SIGTERM, 1);

    /* clone(CLONE_VFORK | SIGCHLD) without CLONE_VM: a fork whose parent waits. */
    pid = (pid_t)syscall(SYS_clone, CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
    if (pid == 0)
        _exit(8);
    EXPECT_EQ("clone(CLONE_VFORK | SIGCHLD)", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 8,
              1);
    /* clone(SIGCHLD) as fork. */
    pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
    if (pid == 0)
        _exit(9);
    EXPECT_EQ("clone(SIGCHLD) as fork", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 9, 1);
    EXPECT_ERR("clone(CLONE_SIGHAND) without CLONE_VM", syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0),
               EINVAL);
    EXPECT_ERR("clone(CLONE_THREAD) without CLONE_SIGHAND", syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0),
               EINVAL);

    /* A vfork child that forks (outside vfork's rules): the grandchild's memory is a
     * copy-on-write copy as at its fork, so the parent's writes after its vfork child
     * ended do not reach it. (The emulator's vfork parent keeps its writable mappings
     * while its child borrows its memory; a third sharer must take them away first.) */
    volatile int *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(sh != MAP_FAILED);
    page_of_its_own[0] = 1;
    pid = vfork();
    if (pid == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            for (long i = 0; i < 1000000L && !sh[0]; i++)
                sched_yield();
            sh[1] = page_of_its_own[0];
            sh[2] = 1;
            _exit(0);
        }
        _exit(grandchild > 0 ? 0 : 1);
    }
    EXPECT_EQ("a vfork child that forks", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 0, 1);
    page_of_its_own[0] = 2;
    sh[0] = 1;
    for (long i = 0; i < 1000000L && !sh[2]; i++)
        sched_yield();
    EXPECT_EQ("... its child sees the memory of its fork, not the parent's later write", sh[1], 1);
    return finish();
}
