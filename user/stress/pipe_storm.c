/* pipe_storm: a hostile UNIX process's pipes (issue 18 item 4): 20,000 pipe, pipe2,
 * read, write, readv, writev, close, dup, fcntl, ioctl, poll and select calls with random
 * descriptors, sizes, flags and pointers (unmapped, at the top of the address space, in
 * page 0, misaligned, its own buffers), every pipe made O_NONBLOCK at once (fcntl's F_SETFL is not among the random calls) and every wait with a
 * zero timeout, so that it never waits for ever on itself; then pipes made until the
 * emulator refuses (ENFILE: a bounded pool, or EMFILE), all closed, and a pipe must work
 * again: 100,000 bytes through it to a child, unchanged. Run by the emulator only (random
 * calls on a real kernel do real damage). Exits 0 when all held. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kCalls = 20000 };

static uint32_t g_state = 0x6c8e9cf5u;
static uint32_t next(void) { /* xorshift32: a fixed sequence, the same every run */
    g_state ^= g_state << 13;
    g_state ^= g_state >> 17;
    g_state ^= g_state << 5;
    return g_state;
}

static char g_buffer[16384];

static uint32_t pointer(void) {
    switch (next() % 6) {
        case 0: return 0;
        case 1: return 0x10000000u + (next() & 0x3ffffffcu);      /* unmapped */
        case 2: return 0xffffffffu - next() % 16;                  /* the top */
        case 3: return next() & 0xfffu;                            /* page 0 */
        default: return (uint32_t)(uintptr_t)g_buffer + next() % 8192; /* its own, any alignment */
    }
}
static uint32_t size(void) {
    switch (next() % 4) {
        case 0: return next() % 16;
        case 1: return next() % 8192;
        case 2: return 0x7fffffffu + next() % 4; /* huge */
        default: return 4096 + next() % 3;        /* about PIPE_BUF */
    }
}
/* A descriptor: mostly its own, now and then any (never the console's 0-2: its output). */
static int fd(void) {
    const int f = next() % 8 == 0 ? (int)(next() % 2000) - 100 : 3 + (int)(next() % 40);
    return f >= 0 && f < 3 ? 3 : f;
}

static void one_call(void) {
    uint32_t iov[8];
    const uint32_t kind = next() % 12;
    switch (kind) {
        case 0:
        case 1: {
            const uint32_t at = pointer();
            const long r = kind == 0 ? syscall(SYS_pipe, at) : syscall(SYS_pipe2, at, next() % 3 == 0 ? next() : 0);
            int fds[2];
            if (r == 0) { /* made (at is in its buffer): neither end may make it wait */
                memcpy(fds, (const void *)(uintptr_t)at, sizeof fds);
                fcntl(fds[0], F_SETFL, O_NONBLOCK);
                fcntl(fds[1], F_SETFL, O_NONBLOCK);
            }
            break;
        }
        case 2: syscall(SYS_read, fd(), pointer(), size()); break;
        case 3: syscall(SYS_write, fd(), pointer(), size()); break;
        case 4:
            for (int i = 0; i < 8; i++) iov[i] = i % 2 ? size() % 9000 : pointer();
            syscall(next() % 2 ? SYS_readv : SYS_writev, fd(), next() % 2 ? (uint32_t)(uintptr_t)iov : pointer(), next() % 6);
            break;
        case 5: if (fd() >= 3) syscall(SYS_close, 3 + next() % 40); break;
        case 6: syscall(SYS_dup, fd()); break;
        case 7: syscall(SYS_fcntl64, fd(), F_GETFL, 0); break;
        case 8: syscall(SYS_ioctl, fd(), FIONREAD, pointer()); break;
        case 9: {
            struct pollfd p[6]; /* as many as nfds may say: poll writes every revents */
            for (int i = 0; i < 6; i++) p[i] = (struct pollfd){fd(), (short)next(), 0};
            syscall(SYS_poll, next() % 2 ? (uint32_t)(uintptr_t)p : pointer(), next() % 6, 0);
            break;
        }
        case 10: {
            struct timeval tv = {0, 0};
            syscall(SYS__newselect, (int)(next() % 80) - 8, pointer(), pointer(), pointer(), &tv);
            break;
        }
        default: {
            struct timespec ts = {0, 0};
            syscall(SYS_pselect6, next() % 64, pointer(), pointer(), pointer(), next() % 2 ? &ts : (void *)(uintptr_t)(0x10000000u + (next() & 0xffff0u)), pointer());  /* never none: it would wait */
            break;
        }
    }
}

/* Pipes until refused: how many, and the error. */
static int fill(int *error) {
    int fds[2], made = 0;
    while (pipe(fds) == 0)
        made++;
    *error = errno;
    return made;
}

static int transfer(void) {
    int fds[2];
    if (pipe(fds) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        for (long at = 0; at < 100000; at += 1000) {
            for (int i = 0; i < 1000; i++) g_buffer[i] = (char)(at + i);
            if (write(fds[1], g_buffer, 1000) != 1000) _exit(1);
        }
        _exit(0);
    }
    close(fds[1]);
    long at = 0, bad = 0;
    ssize_t n;
    while ((n = read(fds[0], g_buffer, 777)) > 0) {
        for (ssize_t i = 0; i < n; i++) bad += g_buffer[i] != (char)(at + i);
        at += n;
    }
    int status;
    waitpid(pid, &status, 0);
    close(fds[0]);
    return at == 100000 && bad == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    for (uint32_t i = 0; i < kCalls; i++) one_call();
    for (int f = 3; f < 4096; f++) close(f);
    int error;
    const int made = fill(&error);
    for (int f = 3; f < 4096; f++) close(f);
    const int refused = error == ENFILE || error == EMFILE;
    const int again = fill(&error) == made;
    for (int f = 3; f < 4096; f++) close(f);
    const int works = transfer();
    printf("pipe_storm: pipes until refused with %s, as many again: %s, a pipe works after: %s\n",
           refused ? "ENFILE or EMFILE" : "something else", again ? "yes" : "no", works ? "yes" : "no");
    if (made > 0 && refused && again && works) {
        printf("pipe_storm: done: the emulator's pipes held\n");
        return 0;
    }
    return 1;
}
