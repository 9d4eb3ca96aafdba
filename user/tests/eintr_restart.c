/* eintr_restart: a caught signal ends a blocking call: without SA_RESTART read of an
 * empty pipe and waitpid end with EINTR (the handler having run); with SA_RESTART they
 * go on and return what they waited for; nanosleep and poll end with EINTR either way
 * (signal(7): never restarted). The signals come from a child while the parent waits. */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static volatile int hits;
static void on_usr1(int sig) {
    (void)sig;
    hits++;
}

static void catch_usr1(int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
}

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* A child that signals the parent after `ms`, then writes a byte to `fd` (if >= 0)
 * `ms` later, then exits with `code` after another `ms`. */
static pid_t signaller(long ms, int fd, int code) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        nap(ms);
        kill(parent, SIGUSR1);
        if (fd >= 0) {
            nap(ms);
            if (write(fd, "x", 1) != 1)
                _exit(99);
        }
        nap(ms);
        _exit(code);
    }
    return pid;
}

static int reap(pid_t pid) {
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

int main(void) {
    int fds[2];
    char c;

    catch_usr1(0);
    EXPECT_OK("pipe", pipe(fds));
    pid_t child = signaller(100, -1, 0);
    hits = 0;
    EXPECT_ERR("read without SA_RESTART", read(fds[0], &c, 1), EINTR);
    EXPECT_EQ("handler ran", hits, 1);
    EXPECT_EQ("child", reap(child), 0);

    catch_usr1(SA_RESTART);
    child = signaller(100, fds[1], 0);
    hits = 0;
    EXPECT_EQ("read with SA_RESTART goes on", read(fds[0], &c, 1), 1);
    EXPECT_EQ("and reads the byte", c, 'x');
    EXPECT_EQ("handler ran", hits, 1);
    EXPECT_EQ("child", reap(child), 0);

    catch_usr1(0);
    child = signaller(100, -1, 3);
    hits = 0;
    int status;
    EXPECT_ERR("waitpid without SA_RESTART", waitpid(child, &status, 0), EINTR);
    EXPECT_EQ("handler ran", hits, 1);
    EXPECT_EQ("then waitpid reaps it", reap(child), 3);

    catch_usr1(SA_RESTART);
    child = signaller(100, -1, 4);
    hits = 0;
    EXPECT_EQ("waitpid with SA_RESTART goes on", reap(child), 4);
    EXPECT_EQ("handler ran", hits, 1);

    child = signaller(100, -1, 0);
    hits = 0;
    struct timespec second = {1, 0}, rem = {0, 0};
    EXPECT_ERR("nanosleep with SA_RESTART", nanosleep(&second, &rem), EINTR);
    EXPECT_EQ("handler ran", hits, 1);
    EXPECT_EQ("child", reap(child), 0);

    child = signaller(100, -1, 0);
    hits = 0;
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    EXPECT_ERR("poll with SA_RESTART", poll(&pfd, 1, -1), EINTR);
    EXPECT_EQ("handler ran", hits, 1);
    EXPECT_EQ("child", reap(child), 0);
    return finish();
}
