/* priority: nice values with Linux's rules (issue 18 item 7; the emulator's scheduling
 * policy takes them, ak-unix/scheduler.h): getpriority/setpriority for PRIO_PROCESS and
 * PRIO_PGRP (getpriority's raw answer 20 - nice, a group's the lowest nice of its
 * members), values clamped to 19, EINVAL for an unknown `which`, ESRCH for no process or
 * group, glibc's nice(), the nice system call, fork inheriting the value, sched_yield.
 * Values only go up from the starting one (lowering needs a privilege the oracle's
 * harness may not have); everything is printed relative to the starting value, which is
 * the harness's and never printed. PRIO_USER is left alone: under the oracle it would renice every
 * process of the host's user. */
#include "check.h"
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int base;

static int nice_now(pid_t who, int which) {
    errno = 0;
    int n = getpriority(which, who);
    return errno == 0 ? n - base : 1000;
}

/* A child's byte on `ready` once it runs, awaited by its parent before the values are
 * set: under qemu-m68k a new process starts a host thread of qemu's own, and a
 * setpriority(PRIO_PGRP) made while that thread is being created misses it (it copies
 * the nice value it was created with), so the group's lowest value would be the parent's. */
static int ready[2];

static void started(void) {
    if (write(ready[1], "r", 1) != 1)
        _exit(3);
}

static int await_started(void) {
    char c;
    return read(ready[0], &c, 1) == 1 ? 0 : -1;
}

/* A child in a process group of its own that waits for a byte on `gate`, then checks its
 * own value is `want` (relative) and exits 0, else 1. */
static pid_t group_child(int gate[2], int want) {
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        started();
        char c;
        close(gate[1]);
        if (read(gate[0], &c, 1) != 1)
            _exit(2);
        _exit(nice_now(0, PRIO_PROCESS) == want && nice_now(0, PRIO_PGRP) <= want ? 0 : 1);
    }
    setpgid(pid, pid); /* (both sides: whichever runs first) */
    return pid;
}

static int wait_status(pid_t pid) {
    int status = -1;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

int main(void) {
    errno = 0;
    base = getpriority(PRIO_PROCESS, 0);
    EXPECT_EQ("getpriority(PRIO_PROCESS, 0) answers", errno, 0);
    EXPECT_EQ("the starting value leaves room to go up", base <= 8, 1);

    EXPECT_OK("setpriority(PRIO_PROCESS, 0, +2)", setpriority(PRIO_PROCESS, 0, base + 2));
    EXPECT_EQ("getpriority(PRIO_PROCESS, 0)", nice_now(0, PRIO_PROCESS), 2);
    EXPECT_EQ("getpriority(PRIO_PROCESS, getpid())", nice_now(getpid(), PRIO_PROCESS), 2);
    EXPECT_EQ("the raw call answers 20 - nice", syscall(SYS_getpriority, PRIO_PROCESS, 0) + base, 18);

    EXPECT_ERR("getpriority(3, 0)", getpriority(3, 0), EINVAL);
    EXPECT_ERR("setpriority(3, 0, 5)", setpriority(3, 0, 5), EINVAL);
    EXPECT_ERR("getpriority(-1, 0)", getpriority(-1, 0), EINVAL);
    EXPECT_ERR("getpriority of no process", getpriority(PRIO_PROCESS, 0x3fffffff), ESRCH);
    EXPECT_ERR("setpriority of no process", setpriority(PRIO_PROCESS, 0x3fffffff, base + 3), ESRCH);
    EXPECT_ERR("getpriority(PRIO_PROCESS, -1)", getpriority(PRIO_PROCESS, -1), ESRCH);
    EXPECT_ERR("getpriority of no group", getpriority(PRIO_PGRP, 0x3fffffff), ESRCH);
    EXPECT_ERR("setpriority of no group", setpriority(PRIO_PGRP, 0x3fffffff, base + 3), ESRCH);
    EXPECT_EQ("the failed calls changed nothing", nice_now(0, PRIO_PROCESS), 2);

    EXPECT_EQ("glibc's nice(1) answers the new value", nice(1) - base, 3);
    /* The call itself answers 0 on Linux (qemu-m68k gives the host's nice(), the new
     * value): only its success is printed. */
    EXPECT_EQ("the nice system call (+1)", syscall(SYS_nice, 1) >= 0, 1);
    EXPECT_EQ("after it", nice_now(0, PRIO_PROCESS), 4);

    /* A fork inherits it. */
    pid_t child = fork();
    if (child == 0)
        _exit(nice_now(0, PRIO_PROCESS) == 4 ? 0 : 1);
    EXPECT_EQ("a fork's child has its parent's value", wait_status(child), 0);

    /* A group of two: the group's answer is the lowest value of its members. */
    int gate[2];
    EXPECT_OK("pipe", pipe(ready));
    EXPECT_OK("pipe", pipe(gate));
    pid_t a = group_child(gate, 6);
    EXPECT_OK("a started", await_started());
    EXPECT_OK("setpriority(PRIO_PGRP, a, +6)", setpriority(PRIO_PGRP, a, base + 6));
    EXPECT_EQ("getpriority(PRIO_PGRP, a)", nice_now(a, PRIO_PGRP), 6);
    EXPECT_EQ("getpriority(PRIO_PROCESS, a)", nice_now(a, PRIO_PROCESS), 6);
    EXPECT_EQ("the caller's own unchanged", nice_now(0, PRIO_PROCESS), 4);
    EXPECT_OK("write", write(gate[1], "x", 1));
    EXPECT_EQ("a saw its value", wait_status(a), 0);
    close(gate[0]);
    close(gate[1]);

    EXPECT_OK("pipe", pipe(gate));
    pid_t b = group_child(gate, 7);
    pid_t c = fork();
    if (c == 0) {
        started();
        close(gate[1]);
        char ch;
        _exit(read(gate[0], &ch, 1) == 1 ? 0 : 2);
    }
    EXPECT_OK("setpgid(c, b)", setpgid(c, b));
    EXPECT_OK("b started", await_started());
    EXPECT_OK("c started", await_started());
    /* The group first, then one member alone: under qemu-m68k each process has a second
     * host thread (qemu's own) that PRIO_PROCESS does not reach but PRIO_PGRP does. */
    EXPECT_OK("setpriority(PRIO_PGRP, b, +7)", setpriority(PRIO_PGRP, b, base + 7));
    EXPECT_OK("setpriority(PRIO_PROCESS, c, +9)", setpriority(PRIO_PROCESS, c, base + 9));
    EXPECT_EQ("getpriority(PRIO_PROCESS, c)", nice_now(c, PRIO_PROCESS), 9);
    EXPECT_EQ("getpriority(PRIO_PGRP, b): the lowest", nice_now(b, PRIO_PGRP), 7);
    EXPECT_OK("write", write(gate[1], "xx", 2));
    EXPECT_EQ("b saw its value", wait_status(b), 0);
    EXPECT_EQ("c ended", wait_status(c), 0);
    close(gate[0]);
    close(gate[1]);

    EXPECT_OK("setpriority(PRIO_PROCESS, 0, 100)", setpriority(PRIO_PROCESS, 0, 100));
    EXPECT_EQ("clamped to 19", getpriority(PRIO_PROCESS, 0), 19);
    EXPECT_EQ("nice(5) at 19", nice(5), 19);
    EXPECT_EQ("sched_yield", sched_yield(), 0);
    return finish();
}
