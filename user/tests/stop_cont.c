/* stop_cont: stopping and continuing. SIGSTOP stops a child (it makes no progress) and
 * waitpid with WUNTRACED reports it (WIFSTOPPED, WSTOPSIG); SIGCONT continues it and
 * WCONTINUED reports that; the parent hears CLD_STOPPED and CLD_CONTINUED by SIGCHLD
 * (taken with sigwaitinfo); a handler for SIGTSTP runs instead of a stop; a caught signal sent to a stopped child waits until SIGCONT; SIGKILL
 * ends a stopped child; waitid with WSTOPPED and WCONTINUED. */
#include "check.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

struct shared {
    volatile unsigned long progress;
    volatile int usr1;
    volatile int tstp;
};
static struct shared *sh;

/* SIGCHLD stays blocked: each one is taken here, in order (a standard signal is not
 * queued, so each is taken before the next can come). */
static sigset_t chld;
static int next_chld(void) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (sigwaitinfo(&chld, &info) != SIGCHLD)
        return -1;
    return info.si_code;
}

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
}

static void child_usr1(int sig) {
    (void)sig;
    sh->usr1++;
}
static void child_tstp(int sig) {
    (void)sig;
    sh->tstp++;
}

static pid_t worker(void) {
    sh->progress = 0;
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, child_usr1);
        for (;;)
            sh->progress++;
    }
    while (sh->progress == 0)
        nap(1);
    return pid;
}

static int stands_still(void) {
    unsigned long before = sh->progress;
    nap(100);
    return sh->progress == before;
}


int main(void) {
    sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);

    pid_t child = worker();
    int status;
    EXPECT_OK("SIGSTOP", kill(child, SIGSTOP));
    EXPECT_EQ("waitpid WUNTRACED", waitpid(child, &status, WUNTRACED) == child, 1);
    EXPECT_EQ("WIFSTOPPED", WIFSTOPPED(status), 1);
    EXPECT_EQ("WSTOPSIG", WSTOPSIG(status), SIGSTOP);
    EXPECT_EQ("SIGCHLD: CLD_STOPPED", next_chld(), CLD_STOPPED);
    EXPECT_EQ("it makes no progress", stands_still(), 1);
    EXPECT_EQ("nothing more to report", waitpid(child, &status, WUNTRACED | WNOHANG), 0);

    EXPECT_OK("SIGUSR1 to the stopped child", kill(child, SIGUSR1));
    nap(50);
    EXPECT_EQ("its handler waits", sh->usr1, 0);
    EXPECT_OK("SIGCONT", kill(child, SIGCONT));
    EXPECT_EQ("waitpid WCONTINUED", waitpid(child, &status, WCONTINUED) == child, 1);
    EXPECT_EQ("WIFCONTINUED", WIFCONTINUED(status), 1);
    EXPECT_EQ("SIGCHLD: CLD_CONTINUED", next_chld(), CLD_CONTINUED);
    nap(50);
    EXPECT_EQ("it runs again", stands_still(), 0);
    EXPECT_EQ("and SIGUSR1's handler ran", sh->usr1, 1);

    /* SIGTSTP's default stop is left out: Linux drops it for an orphaned process group,
     * which the oracle's process may or may not be in, depending on how it was started. */
    kill(child, SIGSTOP);
    EXPECT_EQ("waitpid WUNTRACED", waitpid(child, &status, WUNTRACED) == child, 1);
    EXPECT_EQ("stopped by SIGSTOP again", WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, 1);
    EXPECT_EQ("SIGCHLD: CLD_STOPPED", next_chld(), CLD_STOPPED);
    siginfo_t info;
    kill(child, SIGCONT);
    memset(&info, 0, sizeof info);
    EXPECT_OK("waitid WCONTINUED", waitid(P_PID, child, &info, WCONTINUED));
    EXPECT_EQ("CLD_CONTINUED", info.si_code, CLD_CONTINUED);
    EXPECT_EQ("si_status SIGCONT", info.si_status, SIGCONT);
    EXPECT_EQ("SIGCHLD: CLD_CONTINUED", next_chld(), CLD_CONTINUED);
    kill(child, SIGSTOP);
    memset(&info, 0, sizeof info);
    EXPECT_OK("waitid WSTOPPED", waitid(P_PID, child, &info, WSTOPPED));
    EXPECT_EQ("CLD_STOPPED", info.si_code, CLD_STOPPED);
    EXPECT_EQ("si_status SIGSTOP", info.si_status, SIGSTOP);
    EXPECT_EQ("SIGCHLD: CLD_STOPPED", next_chld(), CLD_STOPPED);

    EXPECT_OK("SIGKILL to the stopped child", kill(child, SIGKILL));
    EXPECT_EQ("reaped", waitpid(child, &status, 0) == child, 1);
    EXPECT_EQ("killed by SIGKILL", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, 1);
    EXPECT_EQ("SIGCHLD: CLD_KILLED", next_chld(), CLD_KILLED);

    /* SA_NOCLDSTOP is left out: qemu-m68k passes its host's SIGCHLD for every stop and
     * continue to the program whatever the flag says. */

    /* A handler for SIGTSTP runs instead of the stop. */
    sh->progress = 0;
    child = fork();
    if (child == 0) {
        signal(SIGTSTP, child_tstp);
        for (;;)
            sh->progress++;
    }
    while (sh->progress == 0)
        nap(1);
    kill(child, SIGTSTP);
    for (int i = 0; i < 100 && sh->tstp == 0; i++)
        nap(5);
    EXPECT_EQ("caught SIGTSTP: its handler ran", sh->tstp, 1);
    EXPECT_EQ("and it was not stopped", waitpid(child, &status, WUNTRACED | WNOHANG), 0);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    return finish();
}
