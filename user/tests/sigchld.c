/* sigchld: SIGCHLD at a child's end, caught with SA_SIGINFO: CLD_EXITED with the child's
 * pid and exit code, CLD_KILLED with the signal that killed it; delivered while the
 * parent waits in sigsuspend; waitpid still reaps after the handler; SIGCHLD's default
 * (ignore) and a blocked SIGCHLD pending until unblocked. SIGPIPE: a handler runs and
 * the write fails with EPIPE; ignored, only EPIPE. */
#include "check.h"
#include <signal.h>
#include <sys/wait.h>

static volatile int chld_hits, chld_code, chld_status, chld_pid;
static void on_chld(int sig, siginfo_t *info, void *uc) {
    (void)sig;
    (void)uc;
    chld_hits++;
    chld_code = info->si_code;
    chld_status = info->si_status;
    chld_pid = info->si_pid;
}

static volatile int pipe_hits;
static void on_pipe(int sig) {
    (void)sig;
    pipe_hits++;
}

static void wait_for_chld(void) {
    sigset_t none;
    sigemptyset(&none);
    while (chld_hits == 0)
        sigsuspend(&none);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);

    pid_t child = fork();
    if (child == 0)
        _exit(7);
    wait_for_chld();
    EXPECT_EQ("SIGCHLD once", chld_hits, 1);
    EXPECT_EQ("CLD_EXITED", chld_code, CLD_EXITED);
    EXPECT_EQ("si_status: exit code", chld_status, 7);
    EXPECT_EQ("si_pid: the child", chld_pid == child, 1);
    int status;
    EXPECT_EQ("waitpid reaps it after", waitpid(child, &status, 0) == child, 1);
    EXPECT_EQ("exit 7", WEXITSTATUS(status), 7);

    chld_hits = 0;
    child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    kill(child, SIGTERM);
    wait_for_chld();
    EXPECT_EQ("CLD_KILLED", chld_code, CLD_KILLED);
    EXPECT_EQ("si_status: the signal", chld_status, SIGTERM);
    EXPECT_EQ("si_pid: the child", chld_pid == child, 1);
    waitpid(child, &status, 0);

    /* Blocked: pending until unblocked. */
    chld_hits = 0;
    child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, &status, 0);
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ("blocked SIGCHLD pending", sigismember(&pending, SIGCHLD), 1);
    EXPECT_EQ("handler not run yet", chld_hits, 0);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    EXPECT_EQ("run once unblocked", chld_hits, 1);

    /* The default: ignored. */
    signal(SIGCHLD, SIG_DFL);
    child = fork();
    if (child == 0)
        _exit(0);
    EXPECT_EQ("default: nothing, waitpid reaps", waitpid(child, &status, 0) == child, 1);

    /* SIGPIPE. */
    signal(SIGPIPE, on_pipe);
    int fds[2];
    EXPECT_OK("pipe", pipe(fds));
    close(fds[0]);
    EXPECT_ERR("write without a reader", write(fds[1], "x", 1), EPIPE);
    EXPECT_EQ("SIGPIPE's handler ran", pipe_hits, 1);
    signal(SIGPIPE, SIG_IGN);
    EXPECT_ERR("ignored: EPIPE only", write(fds[1], "x", 1), EPIPE);
    EXPECT_EQ("handler not run", pipe_hits, 1);
    return finish();
}
