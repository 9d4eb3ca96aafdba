/* lseek: lseek and _llseek on a 10000-byte file: SEEK_SET/CUR/END, seeking past EOF
 * (then read returns 0), a negative result (EINVAL), an unknown whence (EINVAL), a bad fd
 * (EBADF), 64-bit offsets through the raw _llseek syscall, lseek on a directory. */
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>

int main(void) {
    int fd = open("/data/pages.txt", O_RDONLY);
    EXPECT_EQ("open pages.txt", fd >= 0, 1);
    char buf[10];
    EXPECT_EQ("SEEK_SET 100", lseek(fd, 100, SEEK_SET), 100);
    EXPECT_EQ("read 9", read(fd, buf, 9), 9);
    EXPECT_EQ("text at 100", memcmp(buf, "line 0010", 9), 0);
    EXPECT_EQ("SEEK_CUR +1", lseek(fd, 1, SEEK_CUR), 110);
    EXPECT_EQ("SEEK_CUR -20", lseek(fd, -20, SEEK_CUR), 90);
    EXPECT_EQ("SEEK_CUR 0 (tell)", lseek(fd, 0, SEEK_CUR), 90);
    EXPECT_EQ("SEEK_END 0", lseek(fd, 0, SEEK_END), 10000);
    EXPECT_EQ("SEEK_END -10", lseek(fd, -10, SEEK_END), 9990);
    EXPECT_EQ("read last line", read(fd, buf, 10), 10);
    EXPECT_EQ("last line", memcmp(buf, "line 0999\n", 10), 0);
    EXPECT_EQ("SEEK_END +5000 (past EOF)", lseek(fd, 5000, SEEK_END), 15000);
    EXPECT_EQ("read past EOF", read(fd, buf, 10), 0);
    EXPECT_ERR("SEEK_SET -1", lseek(fd, -1, SEEK_SET), EINVAL);
    EXPECT_ERR("SEEK_CUR to negative", lseek(fd, -20000, SEEK_CUR), EINVAL);
    EXPECT_EQ("offset unchanged after the error", lseek(fd, 0, SEEK_CUR), 15000);
    EXPECT_ERR("whence 7", lseek(fd, 0, 7), EINVAL);
    EXPECT_ERR("lseek fd 99", lseek(99, 0, SEEK_SET), EBADF);

    long long result = -1;
    long r = syscall(SYS__llseek, fd, 1UL, 0UL, &result, SEEK_SET); /* offset 1 << 32 */
    EXPECT_EQ("_llseek to 4 GiB returns 0", r, 0);
    EXPECT_EQ("_llseek result 4 GiB", result, 1LL << 32);
    EXPECT_EQ("lseek64 tell", lseek64(fd, 0, SEEK_CUR), 1LL << 32);
    EXPECT_EQ("lseek (32-bit) tell now overflows", lseek(fd, 0, SEEK_CUR) == -1 && errno == EOVERFLOW, 1);
    r = syscall(SYS__llseek, fd, 0UL, 20UL, &result, SEEK_SET);
    EXPECT_EQ("_llseek to 20", r == 0 && result == 20, 1);
    EXPECT_EQ("read after _llseek", read(fd, buf, 9) == 9 && memcmp(buf, "line 0002", 9) == 0, 1);
    EXPECT_ERR("_llseek bad whence", syscall(SYS__llseek, fd, 0UL, 0UL, &result, 9), EINVAL);
    EXPECT_ERR("_llseek bad result pointer", syscall(SYS__llseek, fd, 0UL, 0UL, (void *)1, SEEK_SET), EFAULT);
    EXPECT_ERR("_llseek fd 99", syscall(SYS__llseek, 99, 0UL, 0UL, &result, SEEK_SET), EBADF);
    close(fd);

    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ("lseek directory to 0", lseek(dir, 0, SEEK_SET), 0);
    close(dir);
    return finish();
}
