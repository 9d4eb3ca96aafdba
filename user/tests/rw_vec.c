/* rw_vec: vectored and positioned I/O: readv across three buffers, writev to stdout,
 * pread64 at offsets (does not move the file offset), pread past EOF returns 0, pwrite64
 * to an O_RDONLY fd (EBADF), pread with a negative offset (EINVAL), pread of a
 * directory (EISDIR), readv/writev with a negative count or more than IOV_MAX (EINVAL),
 * zero-length iovecs (the bad counts through syscall(): glibc's prototypes reject them). */
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/syscall.h>
#include <sys/uio.h>

int main(void) {
    int fd = open("/data/pages.txt", O_RDONLY);
    EXPECT_EQ("open pages.txt", fd >= 0, 1);
    char a[4], b[0 + 6], c[20];
    struct iovec iov[4] = {{a, 4}, {b, 0}, {b, 6}, {c, 20}};
    EXPECT_EQ("readv 4+0+6+20", readv(fd, iov, 4), 30);
    EXPECT_EQ("a", memcmp(a, "line", 4), 0);
    EXPECT_EQ("b", memcmp(b, " 0000\n", 6), 0);
    EXPECT_EQ("c", memcmp(c, "line 0001\nline 0002\n", 20), 0);
    EXPECT_EQ("offset after readv", lseek(fd, 0, SEEK_CUR), 30);

    char p[10];
    EXPECT_EQ("pread 9 at 5000", pread64(fd, p, 9, 5000), 9);
    p[9] = 0;
    EXPECT_STR("pread text", p, "line 0500");
    EXPECT_EQ("offset unchanged by pread", lseek(fd, 0, SEEK_CUR), 30);
    EXPECT_EQ("pread across EOF", pread64(fd, p, 10, 9995), 5);
    EXPECT_EQ("pread past EOF", pread64(fd, p, 10, 20000), 0);
    EXPECT_ERR("pread negative offset", pread64(fd, p, 1, -1), EINVAL);
    EXPECT_ERR("pwrite64 to O_RDONLY fd", pwrite64(fd, "x", 1, 0), EBADF);
    EXPECT_ERR("pwrite64 to fd 99", pwrite64(99, "x", 1, 0), EBADF);

    EXPECT_ERR("readv count -1", syscall(SYS_readv, fd, iov, -1), EINVAL);
    EXPECT_ERR("readv count IOV_MAX+1", syscall(SYS_readv, fd, iov, IOV_MAX + 1), EINVAL);
    EXPECT_EQ("readv count 0", readv(fd, iov, 0), 0);
    close(fd);

    int dir = open("/data", O_RDONLY);
    EXPECT_ERR("pread of a directory", pread64(dir, p, 1, 0), EISDIR);
    EXPECT_ERR("read of a directory", read(dir, p, 1), EISDIR);
    close(dir);

    char h1[] = "rw_vec: ", h2[] = "written ", h3[] = "by writev\n";
    struct iovec out[4] = {{h1, 8}, {h2, 8}, {NULL, 0}, {h3, 10}};
    EXPECT_EQ("writev to stdout", writev(1, out, 4), 26);
    EXPECT_ERR("writev count -1", syscall(SYS_writev, 1, out, -1), EINVAL);
    EXPECT_ERR("writev to fd 99", writev(99, out, 1), EBADF);
    return finish();
}
