/* /sbin/init: the UNIX emulator's first process (issue 18 item 8). It greets, starts the
 * shell on the console in a session of its own with the console as its controlling
 * terminal, reaps every process that ends under it (orphans come to pid 1), and starts a
 * new shell whenever the shell ends; if shells keep ending at once it waits a while
 * between them instead of spinning. `init PROGRAM [ARG...]` runs PROGRAM in place of the
 * shell (the same way). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *const default_argv[] = {"/bin/sh", NULL};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The child: a new session whose controlling terminal is the console, default signal
 * actions, then the program. */
static void start(char *const *argv, char **envp) {
    setsid();
    if (ioctl(0, TIOCSCTTY, 1) != 0)
        fprintf(stderr, "init: the console is not a terminal here: %s\n", strerror(errno));
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGTSTP, SIG_DFL);
    execve(argv[0], argv, envp);
    fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static void report(const char *name, int status) {
    if (WIFEXITED(status))
        printf("init: %s ended (exit %d); starting it again\n", name, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("init: %s was killed by signal %d (%s); starting it again\n", name, WTERMSIG(status),
               strsignal(WTERMSIG(status)));
    fflush(stdout);
}

int main(int argc, char **argv, char **envp) {
    char *const *program = argc > 1 ? argv + 1 : default_argv;
    struct utsname u;
    if (uname(&u) == 0)
        printf("init: %s %s %s %s, pid %d; starting %s on the console\n", u.sysname, u.nodename, u.release,
               u.machine, (int)getpid(), program[0]);
    fflush(stdout);
    /* The console's ^C and ^\ are for the shell's jobs, never for init. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    int quick = 0;
    for (;;) {
        double started = now();
        pid_t child = fork();
        if (child < 0) {
            fprintf(stderr, "init: fork: %s; trying again in a second\n", strerror(errno));
            sleep(1);
            continue;
        }
        if (child == 0)
            start(program, envp);
        int status = 0;
        for (;;) {
            pid_t done = wait(&status);
            if (done == child)
                break;
            if (done < 0 && errno == ECHILD)
                break; /* (it cannot happen: the child is ours) */
        }
        report(program[0], status);
        quick = now() - started < 2.0 ? quick + 1 : 0;
        if (quick >= 3) {
            printf("init: %s keeps ending at once; waiting 10 s before the next\n", program[0]);
            fflush(stdout);
            sleep(10);
            quick = 0;
        }
    }
}
