/* efault: bad user pointers give EFAULT and never hurt the process: read into (void*)1
 * and into a kernel-half address, write from a bad pointer, open/stat/access/chdir with a
 * bad path pointer, readv with a bad iovec array and with a bad buffer inside a good one,
 * clock_gettime into a bad pointer, uname into a bad pointer, getcwd into one; all through
 * syscall() so glibc adds nothing. The program carries on afterwards. */
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

int main(void) {
    int fd = open("/data/hello.txt", O_RDONLY);
    void *bad = (void *)1;
    void *bad2 = (void *)0xfffff000;
    EXPECT_ERR("read into (void*)1", syscall(SYS_read, fd, bad, 16), EFAULT);
    EXPECT_EQ("offset unchanged after EFAULT", lseek(fd, 0, SEEK_CUR), 0);
    EXPECT_ERR("read into 0xfffff000", syscall(SYS_read, fd, bad2, 16), EFAULT);
    EXPECT_ERR("pread64 into (void*)1", syscall(SYS_pread64, fd, bad, 16, 0, 0), EFAULT);
    EXPECT_ERR("write from (void*)1", syscall(SYS_write, 1, bad, 16), EFAULT);
    EXPECT_ERR("open bad path", syscall(SYS_open, bad, O_RDONLY), EFAULT);
    EXPECT_ERR("openat bad path", syscall(SYS_openat, AT_FDCWD, bad, O_RDONLY), EFAULT);
    EXPECT_ERR("stat64 bad path", syscall(SYS_stat64, bad, bad), EFAULT);
    EXPECT_ERR("access bad path", syscall(SYS_access, bad, F_OK), EFAULT);
    EXPECT_ERR("chdir bad path", syscall(SYS_chdir, bad), EFAULT);
    EXPECT_ERR("readv bad iovec array", syscall(SYS_readv, fd, bad, 1), EFAULT);
    struct iovec iov = {bad, 8};
    EXPECT_ERR("readv bad buffer", syscall(SYS_readv, fd, &iov, 1), EFAULT);
    EXPECT_ERR("writev bad buffer", syscall(SYS_writev, 1, &iov, 1), EFAULT);
    EXPECT_ERR("clock_gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad), EFAULT);
    EXPECT_ERR("uname bad pointer", syscall(SYS_uname, bad), EFAULT);
    EXPECT_ERR("getcwd bad pointer", syscall(SYS_getcwd, bad, 100), EFAULT);
    EXPECT_ERR("fstat64 bad pointer", syscall(SYS_fstat64, fd, bad), EFAULT);
    char buf[16];
    EXPECT_EQ("a good read still works", syscall(SYS_read, fd, buf, 5), 5);
    EXPECT_EQ("  and read hello", memcmp(buf, "hello", 5), 0);
    close(fd);
    return finish();
}
