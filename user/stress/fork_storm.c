/* fork_storm: a hostile process tree (issue 18 item 1): random forks, waits (blocking and
 * WNOHANG) and kills among its own children, whose children fork, wait and end in their
 * turn; then a fork bomb that must end with EAGAIN or ENOMEM (the process table or the
 * emulator's memory full) and leave the emulator whole; then fork + execve and vfork +
 * execve of another program (qemu-m68k cannot exec under the unix suite's oracle, so
 * exec is checked here). Every child is reaped with the status it must have. Run by the
 * emulator only (a fork bomb on the host is no test). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { kRounds = 400, kMaxChildren = 24, kBombCap = 400 };

static uint32_t g_state = 0x7f4a7c15u;
static uint32_t next(void) { /* xorshift32: the same sequence every run */
    g_state ^= g_state << 13;
    g_state ^= g_state >> 17;
    g_state ^= g_state << 5;
    return g_state;
}

static volatile int *g_release; /* shared: the children spin until it is set */
static int g_failures;

/* Waits (sleeping, not spinning: sixty-odd waiters must not starve the rest) until the
 * shared flag is set. */
static void await_release(void) {
    const struct timespec tick = {0, 2 * 1000 * 1000};
    for (long i = 0; i < 100000L && !*g_release; i++)
        nanosleep(&tick, NULL);
}

static void fail(const char *what, long value) {
    printf("fork_storm: FAIL %s (%ld, errno %d)\n", what, value, errno);
    g_failures++;
}

/* A child: a few calls, maybe a grandchild it waits for, then an exit code of its own. */
static void child_life(uint32_t seed) {
    g_state = seed | 1;
    int spins = (int)(next() % 50);
    for (int i = 0; i < spins; i++)
        sched_yield();
    if (next() % 3 == 0) {
        pid_t g = fork();
        if (g == 0)
            _exit(77);
        int s = 0;
        if (g > 0 && (waitpid(g, &s, 0) != g || !WIFEXITED(s) || WEXITSTATUS(s) != 77))
            _exit(99);
    }
    if (next() % 4 == 0) { /* lingers a little, blocked in nanosleep */
        const struct timespec pause = {0, (long)(next() % 20 + 1) * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    _exit((int)(seed % 64));
}

struct child {
    pid_t pid;
    int code;   /* its exit code if it exits */
    int signal; /* the fatal signal sent to it, or 0 */
};
static struct child g_children[kMaxChildren];
static int g_count;

static void forget(int i) { g_children[i] = g_children[--g_count]; }

static int index_of(pid_t pid) {
    for (int i = 0; i < g_count; i++)
        if (g_children[i].pid == pid)
            return i;
    return -1;
}

/* It exited with its own code, or died of the first fatal signal sent to it. */
static void check_status(int i, int s) {
    const struct child *c = &g_children[i];
    int fine = (WIFEXITED(s) && WEXITSTATUS(s) == c->code) ||
               (c->signal > 0 && WIFSIGNALED(s) && WTERMSIG(s) == c->signal);
    if (!fine)
        fail("a child's status", s);
}

static void storm(void) {
    for (int round = 0; round < kRounds; round++) {
        uint32_t op = next() % 5;
        if (op <= 1 && g_count < kMaxChildren) {
            uint32_t seed = next();
            pid_t pid = fork();
            if (pid == 0)
                child_life(seed);
            if (pid < 0) {
                fail("fork", pid);
                continue;
            }
            g_children[g_count++] = (struct child){pid, (int)(seed % 64), 0};
        } else if (op == 2 && g_count > 0) {
            int i = (int)(next() % (uint32_t)g_count);
            int s = 0;
            int options = next() % 2 ? WNOHANG : 0;
            pid_t r = waitpid(next() % 2 ? g_children[i].pid : -1, &s, options);
            if (r < 0) {
                fail("waitpid", r);
                continue;
            }
            if (r == 0)
                continue;
            int j = index_of(r);
            if (j < 0) {
                fail("waitpid returned a stranger", r);
                continue;
            }
            check_status(j, s);
            forget(j);
        } else if (op == 3 && g_count > 0) {
            static const int signals[] = {0, SIGTERM, SIGKILL, SIGUSR1, SIGCHLD, SIGWINCH, SIGINT, SIGHUP};
            int i = (int)(next() % (uint32_t)g_count);
            int sig = signals[next() % 8];
            if (kill(g_children[i].pid, sig) != 0)
                fail("kill of a child", sig);
            if (sig != 0 && sig != SIGCHLD && sig != SIGWINCH && g_children[i].signal == 0)
                g_children[i].signal = sig;
        } else if (op == 4) {
            /* Strangers: no such process or group (a pid far above any given out). */
            pid_t pid = (pid_t)(0x20000000 + (next() & 0xffffff));
            if (kill(next() % 2 ? pid : -pid, SIGKILL) != -1 || errno != ESRCH)
                fail("kill of no process", pid);
            if (kill(pid, 65) != -1 || errno != EINVAL)
                fail("kill with signal 65", pid);
        }
    }
    *g_release = 1;
    while (g_count > 0) {
        int s = 0;
        pid_t r = wait(&s);
        int j = r > 0 ? index_of(r) : -1;
        if (j < 0) {
            fail("wait at the end", r);
            break;
        }
        check_status(j, s);
        forget(j);
    }
    if (wait(NULL) != -1 || errno != ECHILD)
        fail("children left after the storm", 0);
}

static void bomb(void) {
    *g_release = 0;
    int forked = 0, refusal = 0;
    while (forked < kBombCap) {
        pid_t pid = fork();
        if (pid == 0) {
            await_release();
            _exit(3);
        }
        if (pid < 0) {
            refusal = errno;
            break;
        }
        forked++;
    }
    if (refusal != EAGAIN && refusal != ENOMEM)
        fail("the fork bomb was not refused with EAGAIN or ENOMEM", refusal);
    if (forked < 16)
        fail("too few forks before the refusal", forked);
    *g_release = 1;
    int reaped = 0, s;
    while (wait(&s) > 0)
        reaped += WIFEXITED(s) && WEXITSTATUS(s) == 3;
    if (reaped != forked)
        fail("bomb children reaped with exit 3", reaped);
    pid_t pid = fork();
    if (pid == 0)
        _exit(4);
    if (pid < 0 || waitpid(pid, &s, 0) != pid || WEXITSTATUS(s) != 4)
        fail("a fork after the bomb", pid);
    printf("fork_storm: the bomb was refused (%s) after %d more processes, all reaped\n",
           refusal == EAGAIN ? "EAGAIN" : "ENOMEM", forked);
}

/* vfork's parent waits until its child ends: the child is a zombie when it resumes. */
static void vfork_waits(void) {
    pid_t pid = vfork();
    if (pid == 0) {
        for (int i = 0; i < 300; i++)
            sched_yield();
        _exit(6);
    }
    int s = 0;
    if (waitpid(pid, &s, WNOHANG) != pid || !WIFEXITED(s) || WEXITSTATUS(s) != 6)
        fail("vfork's parent resumed before its child ended", s);
}

static void execs(void) {
    char *const argv[] = {"/tests/exit42", NULL};
    char *const envp[] = {"PATH=/bin", NULL};
    int s = 0;
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, envp);
        _exit(127);
    }
    if (waitpid(pid, &s, 0) != pid || !WIFEXITED(s) || WEXITSTATUS(s) != 42)
        fail("fork + execve /tests/exit42", s);
    pid = vfork();
    if (pid == 0) {
        execve(argv[0], argv, envp);
        _exit(127);
    }
    if (waitpid(pid, &s, 0) != pid || !WIFEXITED(s) || WEXITSTATUS(s) != 42)
        fail("vfork + execve /tests/exit42", s);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    g_release = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (g_release == MAP_FAILED)
        return 1;
    storm();
    bomb();
    vfork_waits();
    execs();
    printf("fork_storm: %s: %d rounds of forks, waits and kills\n", g_failures == 0 ? "done" : "FAILED", kRounds);
    return g_failures == 0 ? 0 : 1;
}
