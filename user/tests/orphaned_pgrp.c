/* orphaned_pgrp: a process group that becomes orphaned (POSIX; Linux's
 * kill_orphaned_pgrp) while one of its members is stopped gets SIGHUP then SIGCONT: here
 * a child stops itself in a group of its own, and its parent exits, leaving it to init.
 * A member of an orphaned group that is sent SIGTSTP with the default action is not
 * stopped (the signal is discarded). Before the emulator did either, this test hung: the
 * stopped child held the pipe's write end. */
#include "check.h"
#include <signal.h>
#include <sys/wait.h>

static volatile int g_hup, g_cont;
static void on_hup(int s) { (void)s; g_hup = 1; }
static void on_cont(int s) { (void)s; g_cont = 1; }

static void say(int fd, const char *text) { CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text)); }

/* Reads everything from `fd` until every writer has closed it, and prints it. */
static void print_all(int fd) {
    char text[512];
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, text + used, sizeof text - 1 - used);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    text[used] = 0;
    printf("%s", text);
}

/* The child of `parent`: waits until its parent has exited (it is then init's). */
static void wait_for_orphaning(pid_t parent) {
    while (getppid() == parent)
        usleep(1000);
}

int main(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);

    /* 1: a stopped member when its group becomes orphaned. */
    pid_t middle = fork();
    if (middle == 0) {
        pid_t child = fork();
        if (child == 0) {
            close(fds[0]);
            CHECK(setpgid(0, 0) == 0);
            signal(SIGHUP, on_hup);
            signal(SIGCONT, on_cont);
            raise(SIGSTOP);
            char line[64];
            snprintf(line, sizeof line, "stopped child: SIGHUP %d, SIGCONT %d\n", g_hup, g_cont);
            say(fds[1], line);
            _exit(0);
        }
        int status = 0;
        CHECK(waitpid(child, &status, WUNTRACED) == child);
        CHECK(WIFSTOPPED(status));
        _exit(0);  /* its child's group loses its last link outside */
    }
    close(fds[1]);
    int status = 0;
    CHECK(waitpid(middle, &status, 0) == middle);
    EXPECT_EQ("the middle process exited", WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
    print_all(fds[0]);
    close(fds[0]);

    /* 2: in an orphaned group, SIGTSTP's default action is discarded. */
    CHECK(pipe(fds) == 0);
    middle = fork();
    if (middle == 0) {
        pid_t me = getpid();
        pid_t child = fork();
        if (child == 0) {
            close(fds[0]);
            CHECK(setpgid(0, 0) == 0);
            wait_for_orphaning(me);
            raise(SIGTSTP);
            say(fds[1], "orphaned child: SIGTSTP discarded\n");
            _exit(0);
        }
        _exit(0);
    }
    close(fds[1]);
    CHECK(waitpid(middle, &status, 0) == middle);
    print_all(fds[0]);
    close(fds[0]);
    return finish();
}
