/* wait_status: wait4/waitpid/waitid report how children ended exactly as Linux encodes
 * it (exit codes, deaths by signal), WNOHANG while a child runs, ECHILD without children,
 * EINVAL for unknown options, waitid's siginfo and WNOWAIT, a bad status pointer (EFAULT
 * after the child is reaped, as Linux does), and zombies kept until reaped. */
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static pid_t child_exiting(int code) {
    pid_t pid = fork();
    if (pid == 0)
        _exit(code);
    return pid;
}

static int raw_status(pid_t pid) {
    int status = -1;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

int main(void) {
    int codes[] = {0, 1, 42, 127, 255, 256, 300};
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        int s = raw_status(child_exiting(codes[i]));
        printf("exit(%d): status %#x exited %d code %d\n", codes[i], s, WIFEXITED(s), WEXITSTATUS(s));
    }

    /* Deaths by signal: its own kill, a fault, abort. */
    pid_t pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGTERM);
        _exit(99);
    }
    int s = raw_status(pid);
    printf("kill(self, SIGTERM): status %#x signaled %d signal %d\n", s, WIFSIGNALED(s), WTERMSIG(s));
    /* (A fault's death is null_write's: qemu-m68k reports it on stderr.) */
    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGKILL);
        _exit(99);
    }
    s = raw_status(pid);
    printf("kill(self, SIGKILL): status %#x\n", s);
    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGCHLD); /* ignored by default */
        kill(getpid(), SIGWINCH);
        signal(SIGTERM, SIG_IGN);
        kill(getpid(), SIGTERM); /* ignored */
        _exit(5);
    }
    s = raw_status(pid);
    printf("ignored signals, then exit(5): exited %d code %d\n", WIFEXITED(s), WEXITSTATUS(s));

    /* WNOHANG while the child runs, then its end. */
    volatile int *go = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(go != MAP_FAILED);
    pid = fork();
    if (pid == 0) {
        for (long i = 0; i < 100000000L && !*go; i++)
            sched_yield();
        _exit(7);
    }
    EXPECT_EQ("WNOHANG while the child runs", waitpid(pid, &s, WNOHANG), 0);
    siginfo_t info;
    memset(&info, 0x55, sizeof info);
    /* (Linux then zeroes si_pid and si_signo; qemu-m68k leaves infop alone: not compared.) */
    EXPECT_EQ("waitid WNOHANG while it runs", waitid(P_PID, pid, &info, WEXITED | WNOHANG), 0);
    *go = 1;
    memset(&info, 0, sizeof info);
    EXPECT_EQ("waitid WEXITED|WNOWAIT", waitid(P_PID, pid, &info, WEXITED | WNOWAIT), 0);
    EXPECT_EQ("... si_signo SIGCHLD", info.si_signo, SIGCHLD);
    EXPECT_EQ("... si_code CLD_EXITED", info.si_code, CLD_EXITED);
    EXPECT_EQ("... si_pid", info.si_pid == pid, 1);
    EXPECT_EQ("... si_status", info.si_status, 7);
    EXPECT_EQ("the zombie is still there (WNOWAIT)", waitpid(pid, &s, WNOHANG) == pid, 1);
    EXPECT_EQ("... exit 7", WEXITSTATUS(s), 7);
    EXPECT_ERR("waitpid of it again", waitpid(pid, &s, 0), ECHILD);

    /* waitid of a killed child; P_ALL; P_PGID of the caller's group. */
    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGUSR1);
        _exit(1);
    }
    memset(&info, 0, sizeof info);
    EXPECT_EQ("waitid P_ALL of a killed child", waitid(P_ALL, 0, &info, WEXITED), 0);
    EXPECT_EQ("... si_code CLD_KILLED", info.si_code, CLD_KILLED);
    EXPECT_EQ("... si_status SIGUSR1", info.si_status, SIGUSR1);
    pid = child_exiting(3);
    memset(&info, 0, sizeof info);
    EXPECT_EQ("waitid P_PGID 0 (the caller's group)", waitid(P_PGID, 0, &info, WEXITED), 0);
    EXPECT_EQ("... si_status 3", info.si_status, 3);

    /* Errors. */
    EXPECT_ERR("wait without children", wait(&s), ECHILD);
    EXPECT_ERR("waitpid(-1, WNOHANG) without children", waitpid(-1, &s, WNOHANG), ECHILD);
    EXPECT_ERR("waitpid of pid 1 (not a child)", waitpid(1, &s, 0), ECHILD);
    EXPECT_ERR("waitpid unknown option", waitpid(-1, &s, 0x100), EINVAL);
    EXPECT_ERR("waitid without WEXITED/WSTOPPED/WCONTINUED", waitid(P_ALL, 0, &info, WNOHANG), EINVAL);
    EXPECT_ERR("waitid bad idtype", waitid((idtype_t)7, 0, &info, WEXITED), EINVAL);
    EXPECT_ERR("waitid P_PID 0", waitid(P_PID, 0, &info, WEXITED), EINVAL);
    EXPECT_ERR("waitid without children", waitid(P_ALL, 0, &info, WEXITED), ECHILD);
    pid = child_exiting(4);
    EXPECT_ERR("wait4 with a bad status pointer", syscall(SYS_wait4, pid, (int *)8, 0, NULL), EFAULT);
    EXPECT_ERR("... the child was reaped all the same", waitpid(pid, &s, WNOHANG), ECHILD);
    pid = child_exiting(6);
    struct rusage ru;
    memset(&ru, 0x55, sizeof ru);
    EXPECT_EQ("wait4 with rusage", wait4(pid, &s, 0, &ru) == pid, 1);
    EXPECT_EQ("... exit 6", WEXITSTATUS(s), 6);
    pid = child_exiting(9);
    EXPECT_EQ("wait with a NULL status", wait(NULL) == pid, 1);

    /* Zombies are kept until reaped, in any order. */
    pid_t a = child_exiting(21), b = child_exiting(22), c = child_exiting(23);
    EXPECT_EQ("the last first", WEXITSTATUS(raw_status(c)), 23);
    EXPECT_EQ("then the first", WEXITSTATUS(raw_status(a)), 21);
    EXPECT_EQ("then the middle", WEXITSTATUS(raw_status(b)), 22);
    return finish();
}
