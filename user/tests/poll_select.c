/* poll_select: poll, ppoll, select and pselect over pipes, a regular file, /dev/null and
 * /dev/zero: an empty pipe is not readable (a timeout of 0 and one of 30 ms both end
 * with 0), a pipe with bytes is, a child's write wakes a parent waiting without a
 * timeout; POLLHUP once the writers are gone, POLLERR on a write end once the readers
 * are; POLLNVAL for a closed descriptor, a negative one ignored; files and the devices
 * always ready; errors: EBADF (select of a closed descriptor), EINVAL (negative n, a bad
 * timespec), EFAULT (bad arrays). (Not here: a bad timeval and nfds past RLIMIT_NOFILE,
 * which qemu-m68k answers differently from Linux.) */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>

/* Not known to the compiler (its access warnings). */
static void *volatile bad_ptr = (void *)16;

static long ms_since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void pipe_poll(void) {
    int fds[2];
    EXPECT_OK("pipe", pipe(fds));
    struct pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}};
    EXPECT_EQ("empty pipe, timeout 0: only the write end", poll(p, 2, 0), 1);
    EXPECT_EQ("read end revents", p[0].revents, 0);
    EXPECT_EQ("write end revents", p[1].revents, POLLOUT);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EXPECT_EQ("empty pipe, 30 ms", poll(p, 1, 30), 0);
    EXPECT_EQ("waited at least 30 ms", ms_since(&t0) >= 30, 1);
    write(fds[1], "hi", 2);
    EXPECT_EQ("bytes: readable", poll(p, 1, -1), 1);
    EXPECT_EQ("POLLIN", p[0].revents, POLLIN);

    /* A child writes while the parent waits without a timeout. */
    char buf[8];
    read(fds[0], buf, sizeof buf);
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec d = {0, 20 * 1000 * 1000};
        nanosleep(&d, NULL);
        write(fds[1], "x", 1);
        _exit(0);
    }
    EXPECT_EQ("woken by the child's write", poll(p, 1, -1), 1);
    EXPECT_EQ("POLLIN again", p[0].revents, POLLIN);
    waitpid(pid, NULL, 0);
    read(fds[0], buf, sizeof buf);

    close(fds[1]);
    EXPECT_EQ("no writer: POLLHUP", poll(p, 1, -1), 1);
    EXPECT_EQ("revents POLLHUP", p[0].revents, POLLHUP);
    close(fds[0]);

    EXPECT_OK("pipe 2", pipe(fds));
    close(fds[0]);
    p[1].fd = fds[1];
    EXPECT_EQ("no reader", poll(&p[1], 1, 0), 1);
    EXPECT_EQ("revents POLLOUT|POLLERR", p[1].revents, POLLOUT | POLLERR);
    close(fds[1]);

    /* Closed and negative descriptors, bad arguments. */
    struct pollfd q[3] = {{-1, POLLIN, 7}, {fds[1], POLLIN, 7}, {0, 0, 0}};
    EXPECT_EQ("closed fd: POLLNVAL", poll(q, 2, 0), 1);
    EXPECT_EQ("negative fd revents", q[0].revents, 0);
    EXPECT_EQ("closed fd revents", q[1].revents, POLLNVAL);
    EXPECT_ERR("bad array", poll(bad_ptr, 1, 0), EFAULT);
    struct timespec bad = {0, 1000000000};
    EXPECT_ERR("ppoll bad timespec", ppoll(q, 1, &bad, NULL), EINVAL);
    struct timespec zero = {0, 0};
    EXPECT_EQ("ppoll timeout 0", ppoll(q, 1, &zero, NULL), 0);
}

static void files_poll(void) {
    int file = open("/data/hello.txt", O_RDONLY);
    int null = open("/dev/null", O_RDWR);
    int zero = open("/dev/zero", O_RDONLY);
    struct pollfd p[3] = {{file, POLLIN | POLLOUT, 0}, {null, POLLIN | POLLOUT, 0}, {zero, POLLIN, 0}};
    EXPECT_EQ("file and devices ready", poll(p, 3, -1), 3);
    EXPECT_EQ("file revents", p[0].revents, POLLIN | POLLOUT);
    EXPECT_EQ("/dev/null revents", p[1].revents, POLLIN | POLLOUT);
    EXPECT_EQ("/dev/zero revents", p[2].revents, POLLIN);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(file, &r);
    FD_SET(null, &w);
    EXPECT_EQ("select file and /dev/null", select(null + 1, &r, &w, NULL, NULL), 2);
    EXPECT_EQ("file set", FD_ISSET(file, &r) != 0, 1);
    close(file);
    close(null);
    close(zero);
}

static void pipe_select(void) {
    int fds[2];
    EXPECT_OK("pipe for select", pipe(fds));
    fd_set r, w;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    struct timeval tv = {0, 0};
    EXPECT_EQ("select empty, timeout 0", select(fds[0] + 1, &r, NULL, NULL, &tv), 0);
    EXPECT_EQ("set cleared", FD_ISSET(fds[0], &r) != 0, 0);
    FD_SET(fds[0], &r);
    tv.tv_usec = 30000;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EXPECT_EQ("select empty, 30 ms", select(fds[0] + 1, &r, NULL, NULL, &tv), 0);
    EXPECT_EQ("select waited at least 30 ms", ms_since(&t0) >= 30, 1);
    write(fds[1], "y", 1);
    FD_SET(fds[0], &r);
    FD_ZERO(&w);
    FD_SET(fds[1], &w);
    EXPECT_EQ("readable and writable", select(fds[1] + 1, &r, &w, NULL, NULL), 2);
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    struct timespec ts = {1, 0};
    EXPECT_EQ("pselect", pselect(fds[0] + 1, &r, NULL, NULL, &ts, NULL), 1);
    close(fds[1]);
    char c;
    read(fds[0], &c, 1);
    FD_SET(fds[0], &r);
    EXPECT_EQ("no writer: readable", select(fds[0] + 1, &r, NULL, NULL, NULL), 1);
    close(fds[0]);
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    EXPECT_ERR("select closed fd", select(fds[0] + 1, &r, NULL, NULL, NULL), EBADF);
    EXPECT_ERR("select negative n", select(-1, NULL, NULL, NULL, NULL), EINVAL);
    EXPECT_ERR("select bad set", select(1, bad_ptr, NULL, NULL, NULL), EFAULT);
    tv.tv_sec = 0;
    tv.tv_usec = 1000;
    EXPECT_EQ("select nothing, 1 ms", select(0, NULL, NULL, NULL, &tv), 0);
}

int main(void) {
    pipe_poll();
    files_poll();
    pipe_select();
    return finish();
}
