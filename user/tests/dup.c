/* dup: dup (lowest free fd), dup2 (onto a chosen fd, closing what was there; onto itself
 * returns it), dup3 (O_CLOEXEC; onto itself EINVAL; bad flags EINVAL); duplicates share
 * the file offset; closing one leaves the other open; errors EBADF for a bad old fd and
 * a negative or too large new fd. */
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>

int main(void) {
    int fd = open("/data/pages.txt", O_RDONLY);
    EXPECT_EQ("open", fd, 3);
    int d = dup(fd);
    EXPECT_EQ("dup -> 4", d, 4);
    char buf[10];
    EXPECT_EQ("read 10 via fd 3", read(fd, buf, 10), 10);
    EXPECT_EQ("offset shared: tell via fd 4", lseek(d, 0, SEEK_CUR), 10);
    EXPECT_EQ("read via fd 4 continues", read(d, buf, 9) == 9 && memcmp(buf, "line 0001", 9) == 0, 1);

    int other = open("/data/hello.txt", O_RDONLY);
    EXPECT_EQ("open hello -> 5", other, 5);
    EXPECT_EQ("dup2(3, 5) replaces hello", dup2(fd, other), 5);
    EXPECT_EQ("fd 5 is now pages.txt", lseek(5, 0, SEEK_END), 10000);
    EXPECT_EQ("dup2(3, 3) returns 3", dup2(fd, fd), 3);
    EXPECT_EQ("dup2(3, 30)", dup2(fd, 30), 30);
    EXPECT_EQ("dup2 clears CLOEXEC on the new fd", fcntl(30, F_GETFD), 0);
    EXPECT_EQ("dup3(3, 31, O_CLOEXEC)", dup3(fd, 31, O_CLOEXEC), 31);
    EXPECT_EQ("fd 31 has FD_CLOEXEC", fcntl(31, F_GETFD), FD_CLOEXEC);
    EXPECT_ERR("dup3(3, 3, 0)", dup3(fd, fd, 0), EINVAL);
    EXPECT_ERR("dup3 bad flags", dup3(fd, 32, O_APPEND), EINVAL);
    EXPECT_ERR("dup(99)", dup(99), EBADF);
    EXPECT_ERR("dup2(99, 40)", dup2(99, 40), EBADF);
    EXPECT_ERR("dup2(3, -1)", dup2(fd, -1), EBADF);
    EXPECT_ERR("dup2(3, 1000000)", dup2(fd, 1000000), EBADF);
    EXPECT_ERR("raw dup2(99, 99)", syscall(SYS_dup2, 99, 99), EBADF);

    EXPECT_OK("close 3", close(fd));
    EXPECT_EQ("fd 4 still works", lseek(d, 0, SEEK_SET), 0);
    EXPECT_EQ("read via fd 4", read(d, buf, 4) == 4 && memcmp(buf, "line", 4) == 0, 1);
    EXPECT_EQ("dup -> lowest free (3)", dup(d), 3);

    /* dup onto stdout's number and back: the program keeps printing. */
    int saved = dup(1);
    EXPECT_EQ("dup(1) -> 6", saved, 6);
    EXPECT_EQ("dup2(saved, 1)", dup2(saved, 1), 1);
    printf("dup: still printing through fd 1\n");
    return finish();
}
