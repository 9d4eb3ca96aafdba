/* emfile: the descriptor table's limit: getrlimit(RLIMIT_NOFILE) (printed), lowered with
 * setrlimit to 64, then opens until refused: fds 3..63 (61 of them), then EMFILE; dup
 * also EMFILE, dup2 onto a number at the limit EBADF; closing one makes exactly that
 * number the next; a soft limit above the hard one is EINVAL. The harness starts the
 * oracle with Linux's default limits (soft 1024, hard 4096) and only fds 0-2 open. */
#include "check.h"
#include <fcntl.h>
#include <sys/resource.h>

int main(void) {
    struct rlimit r;
    EXPECT_OK("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &r));
    printf("soft limit %lu, hard limit %lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
    struct rlimit low = {64, r.rlim_max};
    EXPECT_OK("setrlimit NOFILE 64", setrlimit(RLIMIT_NOFILE, &low));
    EXPECT_OK("getrlimit again", getrlimit(RLIMIT_NOFILE, &r));
    EXPECT_EQ("soft now", r.rlim_cur, 64);
    int opened = 0, last = -1, err = 0;
    for (;;) {
        int fd = open("/data/hello.txt", O_RDONLY);
        if (fd < 0) {
            err = errno;
            break;
        }
        opened++;
        last = fd;
        if (opened > 100)
            break;
    }
    EXPECT_EQ("opened", opened, 61);
    EXPECT_EQ("last fd", last, 63);
    EXPECT_STR("refused with", err_name(err), "EMFILE");
    EXPECT_ERR("dup when full", dup(3), EMFILE);
    EXPECT_ERR("fcntl F_DUPFD when full", fcntl(3, F_DUPFD, 0), EMFILE);
    EXPECT_ERR("dup2 onto 64 (beyond the limit)", dup2(3, 64), EBADF);
    EXPECT_OK("close 17", close(17));
    EXPECT_EQ("next open gets 17", open("/data/hello.txt", O_RDONLY), 17);
    struct rlimit bad = {r.rlim_max + 1, r.rlim_max};
    if (r.rlim_max != RLIM_INFINITY)
        EXPECT_ERR("soft above hard", setrlimit(RLIMIT_NOFILE, &bad), EINVAL);
    else
        printf("soft above hard: EINVAL\n");
    return finish();
}
