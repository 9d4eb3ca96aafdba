/* fcntl: fcntl64's F_DUPFD (lowest free at or above the argument), F_DUPFD_CLOEXEC,
 * F_GETFD/F_SETFD (FD_CLOEXEC per descriptor, not shared with duplicates), F_GETFL (the
 * access mode; open() without O_LARGEFILE on 32-bit m68k shows none; open64's
 * O_LARGEFILE is not compared: qemu-m68k drops it), F_SETFL (O_APPEND and
 * O_NONBLOCK change, the access mode does not; shared with duplicates); errors: a bad fd
 * (EBADF), an unknown command (EINVAL), F_DUPFD above the limit (EINVAL). */
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>

int main(void) {
    int fd = open("/data/hello.txt", O_RDONLY);
    EXPECT_EQ("open", fd, 3);
    EXPECT_EQ("F_DUPFD 0 -> lowest free", fcntl(fd, F_DUPFD, 0), 4);
    EXPECT_EQ("F_DUPFD 40", fcntl(fd, F_DUPFD, 40), 40);
    EXPECT_EQ("F_DUPFD 40 again -> 41", fcntl(fd, F_DUPFD, 40), 41);
    int cx = fcntl(fd, F_DUPFD_CLOEXEC, 50);
    EXPECT_EQ("F_DUPFD_CLOEXEC 50", cx, 50);
    EXPECT_EQ("F_GETFD of the CLOEXEC dup", fcntl(cx, F_GETFD), FD_CLOEXEC);
    EXPECT_EQ("F_GETFD of the plain dup", fcntl(40, F_GETFD), 0);
    EXPECT_EQ("F_GETFD original", fcntl(fd, F_GETFD), 0);
    EXPECT_OK("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
    EXPECT_EQ("F_GETFD after F_SETFD", fcntl(fd, F_GETFD), FD_CLOEXEC);
    EXPECT_EQ("dup's flag unchanged", fcntl(4, F_GETFD), 0);
    EXPECT_OK("F_SETFD 0", fcntl(fd, F_SETFD, 0));
    EXPECT_EQ("F_GETFD cleared", fcntl(fd, F_GETFD), 0);

    int fl = fcntl(fd, F_GETFL);
    printf("F_GETFL O_RDONLY file: 0%o\n", (unsigned)fl);
    EXPECT_EQ("access mode O_RDONLY", fl & O_ACCMODE, O_RDONLY);
    EXPECT_OK("F_SETFL O_APPEND|O_NONBLOCK|O_RDWR", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDWR));
    fl = fcntl(fd, F_GETFL);
    printf("F_GETFL after F_SETFL: 0%o\n", (unsigned)fl);
    EXPECT_EQ("access mode still O_RDONLY", fl & O_ACCMODE, O_RDONLY);
    EXPECT_EQ("O_APPEND and O_NONBLOCK set", (fl & (O_APPEND | O_NONBLOCK)) == (O_APPEND | O_NONBLOCK), 1);
    EXPECT_EQ("status flags shared with a dup", (fcntl(4, F_GETFL) & O_NONBLOCK) != 0, 1);
    EXPECT_OK("F_SETFL 0", fcntl(fd, F_SETFL, 0));
    EXPECT_EQ("flags cleared", fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK), 0);

    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    printf("F_GETFL directory: 0%o\n", (unsigned)fcntl(dir, F_GETFL));
    close(dir);
    /* stdout is a pipe under the oracle (O_WRONLY), the console here (O_RDWR, like
     * Linux's /dev/console): only its writability is checked. */
    int out_mode = fcntl(1, F_GETFL) & O_ACCMODE;
    CHECK(out_mode == O_WRONLY || out_mode == O_RDWR);

    EXPECT_ERR("F_GETFD fd 99", fcntl(99, F_GETFD), EBADF);
    EXPECT_ERR("F_DUPFD fd 99", fcntl(99, F_DUPFD, 0), EBADF);
    EXPECT_ERR("F_DUPFD beyond the limit", fcntl(fd, F_DUPFD, 100000), EINVAL);
    EXPECT_ERR("F_DUPFD negative", fcntl(fd, F_DUPFD, -1), EINVAL);
    EXPECT_ERR("unknown command 9999", syscall(SYS_fcntl64, fd, 9999, 0), EINVAL);
    EXPECT_ERR("raw fcntl64 F_GETFL fd -1", syscall(SYS_fcntl64, -1, F_GETFL), EBADF);
    for (int i = 3; i <= 50; i++)
        close(i);
    EXPECT_ERR("closed dup is gone", fcntl(41, F_GETFD), EBADF);
    return finish();
}
