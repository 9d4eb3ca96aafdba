/* pipes: pipe and pipe2 between a parent and its children: 200,000 bytes written in odd
 * chunk sizes and read back in other odd sizes, unchanged and in order; the end of file
 * only when both of two writers (a child and a dup) have closed; a write with no reader
 * left is EPIPE and kills with SIGPIPE ("signal 13") under the default action, EPIPE
 * alone with SIGPIPE ignored; O_NONBLOCK's EAGAIN on an empty pipe and a full one;
 * F_GETFL/F_SETFL; fstat says S_IFIFO; FIONREAD; lseek and pread are ESPIPE; pipe with
 * a bad pointer is EFAULT; O_CLOEXEC is set. (Not here: pipe2's EINVAL for unknown flags,
 * which qemu-m68k does not give.) */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void *volatile bad_ptr = (void *)16; /* unknown to the compiler */

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

static unsigned char byte_at(long i) { return (unsigned char)(i * 7 + i / 251); }

#define TOTAL 200000L

static void big_transfer(void) {
    int fds[2];
    EXPECT_OK("pipe", pipe(fds));
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        static unsigned char buf[7001];
        long at = 0, chunk = 1;
        while (at < TOTAL) {
            long n = chunk % 7001 + 1;
            if (n > TOTAL - at)
                n = TOTAL - at;
            for (long i = 0; i < n; i++)
                buf[i] = byte_at(at + i);
            if (write(fds[1], buf, n) != n)
                _exit(3);
            at += n;
            chunk = chunk * 37 + 11;
        }
        _exit(0);
    }
    close(fds[1]);
    static unsigned char buf[5003];
    long at = 0, bad = 0, reads = 0, size = 13;
    for (;;) {
        ssize_t n = read(fds[0], buf, size);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            bad += buf[i] != byte_at(at + i);
        at += n;
        reads++;
        size = size * 3 % 5003 + 1;
    }
    EXPECT_EQ("bytes through the pipe", at, TOTAL);
    EXPECT_EQ("bytes that differ", bad, 0);
    CHECK(reads > 10);
    EXPECT_STR("writer", how(pid), "exit 0");
    close(fds[0]);
}

static void two_writers(void) {
    int fds[2];
    char c;
    EXPECT_OK("pipe for two writers", pipe(fds));
    int second = dup(fds[1]);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        close(second);
        write(fds[1], "a", 1);
        _exit(0);
    }
    close(fds[1]);
    EXPECT_EQ("child's byte", read(fds[0], &c, 1), 1);
    EXPECT_STR("child", how(pid), "exit 0");
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    EXPECT_ERR("a writer left: no end of file", read(fds[0], &c, 1), EAGAIN);
    write(second, "b", 1);
    EXPECT_EQ("dup's byte", read(fds[0], &c, 1), 1);
    EXPECT_EQ("it is b", c, 'b');
    close(second);
    EXPECT_EQ("both closed: end of file", read(fds[0], &c, 1), 0);
    close(fds[0]);
}

static void broken_pipe(void) {
    int fds[2];
    EXPECT_OK("pipe for EPIPE", pipe(fds));
    close(fds[0]);
    pid_t pid = fork();
    if (pid == 0) {
        write(fds[1], "x", 1);
        _exit(0);  /* not reached: SIGPIPE */
    }
    EXPECT_STR("writer to no reader", how(pid), "signal 13");
    signal(SIGPIPE, SIG_IGN);
    EXPECT_ERR("SIGPIPE ignored: EPIPE", write(fds[1], "x", 1), EPIPE);
    signal(SIGPIPE, SIG_DFL);
    close(fds[1]);

    /* A reader that leaves while the writer waits for room. */
    EXPECT_OK("pipe for a waiting writer", pipe(fds));
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        static char big[100000];
        write(fds[1], big, sizeof big);
        _exit(0);
    }
    close(fds[1]);
    char buf[100];
    EXPECT_EQ("some bytes", read(fds[0], buf, sizeof buf), 100);
    close(fds[0]);
    EXPECT_STR("writer left waiting", how(pid), "signal 13");
}

static void nonblocking(void) {
    int fds[2];
    char c = 'z';
    EXPECT_OK("pipe2 O_NONBLOCK", pipe2(fds, O_NONBLOCK));
    EXPECT_EQ("read end's flags", fcntl(fds[0], F_GETFL), O_RDONLY | O_NONBLOCK);
    EXPECT_EQ("write end's flags", fcntl(fds[1], F_GETFL), O_WRONLY | O_NONBLOCK);
    EXPECT_ERR("empty: EAGAIN", read(fds[0], &c, 1), EAGAIN);
    long total = 0;
    for (int i = 0; i < 100000; i++) {
        ssize_t n = write(fds[1], "0123456789abcdef", 16);
        if (n < 0)
            break;
        total += n;
    }
    EXPECT_ERR("full: EAGAIN", write(fds[1], &c, 1), EAGAIN);
    CHECK(total >= 4096);
    int avail = -1;
    EXPECT_OK("FIONREAD", ioctl(fds[0], FIONREAD, &avail));
    EXPECT_EQ("FIONREAD is what was written", avail == total, 1);
    struct pollfd pfd = {fds[1], POLLOUT, 0};
    EXPECT_EQ("full: not writable", poll(&pfd, 1, 0), 0);
    static char sink[1 << 17];
    EXPECT_EQ("all read back", read(fds[0], sink, sizeof sink) == total, 1);
    EXPECT_EQ("writable again", poll(&pfd, 1, 0), 1);
    EXPECT_OK("F_SETFL clears O_NONBLOCK", fcntl(fds[0], F_SETFL, 0));
    EXPECT_EQ("read end's flags now", fcntl(fds[0], F_GETFL), O_RDONLY);
    close(fds[0]);
    close(fds[1]);
}

static void attributes(void) {
    int fds[2];
    struct stat st;
    EXPECT_OK("pipe2 O_CLOEXEC", pipe2(fds, O_CLOEXEC));
    EXPECT_EQ("FD_CLOEXEC", fcntl(fds[0], F_GETFD), FD_CLOEXEC);
    EXPECT_OK("fstat", fstat(fds[0], &st));
    EXPECT_EQ("S_ISFIFO", S_ISFIFO(st.st_mode), 1);
    EXPECT_EQ("st_size", st.st_size, 0);
    EXPECT_ERR("lseek", lseek(fds[0], 0, SEEK_SET), ESPIPE);
    char c;
    EXPECT_ERR("pread", pread(fds[0], &c, 1, 0), ESPIPE);
    EXPECT_ERR("write to the read end", write(fds[0], "x", 1), EBADF);
    EXPECT_ERR("read from the write end", read(fds[1], &c, 1), EBADF);
    EXPECT_EQ("zero-byte write", write(fds[1], "x", 0), 0);
    EXPECT_EQ("zero-byte read", read(fds[0], &c, 0), 0);
    EXPECT_ERR("write from a bad buffer", write(fds[1], bad_ptr, 5), EFAULT);
    close(fds[0]);
    close(fds[1]);
    EXPECT_ERR("pipe bad pointer", pipe(bad_ptr), EFAULT);
}

int main(void) {
    big_transfer();
    two_writers();
    broken_pipe();
    nonblocking();
    attributes();
    return finish();
}
