/* devices: /dev/null and /dev/zero as Linux has them: open for reading and writing (also
 * with O_TRUNC and O_CREAT), writes taken whole without reading the buffer (Linux takes
 * even a bad pointer's; qemu-user checks the buffer first, so that is not compared), reads of null at end of file and of zero full of zeros (readv, pread64
 * too), lseek always 0, fstat/stat a character device 1,3 / 1,5 with size 0, getdents
 * and O_DIRECTORY refusing, ioctl ENOTTY, mmap of /dev/zero as anonymous memory (private
 * and shared) and of /dev/null ENODEV; /dev itself a directory. /dev is not listed (the
 * emulator's also holds tty and console). */
#include "check.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <termios.h>

static void show_stat(const char *path) {
    struct stat st;
    EXPECT_OK(path, stat(path, &st));
    printf("%s: chr %d major %u minor %u size %lld mode %04o nlink %u\n", path, S_ISCHR(st.st_mode),
           major(st.st_rdev), minor(st.st_rdev), (long long)st.st_size, (unsigned)(st.st_mode & 07777),
           (unsigned)st.st_nlink);
}

/* A pointer the compiler cannot see through (it would refuse the bad accesses below). */
static void *volatile bad_pointer = (void *)16;

int main(void) {
    show_stat("/dev/null");
    show_stat("/dev/zero");
    struct stat st;
    EXPECT_OK("stat /dev", stat("/dev", &st));
    EXPECT_EQ("/dev is a directory", S_ISDIR(st.st_mode), 1);

    int null = open("/dev/null", O_RDWR | O_TRUNC);
    EXPECT_EQ("open /dev/null", null >= 3, 1);
    char buf[64];
    memset(buf, 'x', sizeof buf);
    EXPECT_EQ("write null", write(null, buf, sizeof buf), (long)sizeof buf);
    EXPECT_EQ("read null", read(null, buf, sizeof buf), 0L);
    EXPECT_EQ("buffer untouched", buf[0], 'x');
    EXPECT_EQ("lseek null", lseek(null, 100, SEEK_SET), 0L);
    EXPECT_EQ("pread null", pread(null, buf, 8, 1000), 0L);
    EXPECT_EQ("pwrite null", pwrite(null, buf, 8, 1000), 8L);
    struct stat fs;
    EXPECT_OK("fstat null", fstat(null, &fs));
    EXPECT_EQ("fstat null is chr 1,3", S_ISCHR(fs.st_mode) && major(fs.st_rdev) == 1 && minor(fs.st_rdev) == 3, 1);
    struct termios t;
    EXPECT_ERR("ioctl TCGETS null", ioctl(null, TCGETS, &t), ENOTTY);
    EXPECT_ERR("mmap null", (long)mmap(0, 4096, PROT_READ, MAP_PRIVATE, null, 0) == -1 ? -1 : 0, ENODEV);
    close(null);

    int zero = open("/dev/zero", O_RDWR | O_CREAT, 0644);
    EXPECT_EQ("open /dev/zero", zero >= 3, 1);
    memset(buf, 'x', sizeof buf);
    EXPECT_EQ("read zero", read(zero, buf, sizeof buf), (long)sizeof buf);
    int zeros = 0;
    for (unsigned i = 0; i < sizeof buf; i++) zeros += buf[i] == 0;
    printf("zeros read: %d of %zu\n", zeros, sizeof buf);
    static char big[10000];
    memset(big, 'y', sizeof big);
    EXPECT_EQ("read zero 10000", read(zero, big, sizeof big), (long)sizeof big);
    zeros = 0;
    for (unsigned i = 0; i < sizeof big; i++) zeros += big[i] == 0;
    printf("zeros read: %d of %zu\n", zeros, sizeof big);
    char a[3] = "ab", b[5] = "cdef";
    struct iovec iov[2] = {{a, 2}, {b, 4}};
    EXPECT_EQ("readv zero", readv(zero, iov, 2), 6L);
    printf("readv zeros: %d %d %d\n", a[0] == 0 && a[1] == 0, b[0] == 0 && b[3] == 0, a[2] == 0);
    EXPECT_EQ("write zero", write(zero, "abc", 3), 3L);
    EXPECT_EQ("lseek zero", lseek(zero, 4096, SEEK_CUR), 0L);
    EXPECT_ERR("read zero into a bad pointer", read(zero, bad_pointer, 8), EFAULT);
    unsigned char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    EXPECT_EQ("mmap zero private", m != MAP_FAILED, 1);
    if (m != MAP_FAILED) {
        printf("mapped zero: %d %d\n", m[0], m[8191]);
        m[100] = 7;
        printf("written: %d\n", m[100]);
    }
    unsigned char *s = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    EXPECT_EQ("mmap zero shared", s != MAP_FAILED, 1);
    if (s != MAP_FAILED) printf("shared zero: %d\n", s[4095]);
    close(zero);

    EXPECT_ERR("open /dev/null O_DIRECTORY", open("/dev/null", O_RDONLY | O_DIRECTORY), ENOTDIR);
    EXPECT_ERR("open /dev/nothing", open("/dev/nothing", O_RDONLY), ENOENT);
    EXPECT_ERR("open /dev/null/x", open("/dev/null/x", O_RDONLY), ENOTDIR);
    EXPECT_ERR("exec /dev/null", execl("/dev/null", "null", (char *)0), EACCES);
    return 0;
}
