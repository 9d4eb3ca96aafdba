/* readlink: readlink/readlinkat of relative, absolute and chained symlinks (the link's
 * own text, not resolved), a buffer shorter than the target (truncated, no NUL, returns
 * the buffer size), a symlink inside a symlinked directory; errors: not a symlink
 * (EINVAL), missing (ENOENT), bufsiz 0 (EINVAL), a file as a directory (ENOTDIR), a bad
 * buffer (EFAULT), readlinkat with a bad dirfd (EBADF). */
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>

static void show(const char *path) {
    char buf[256];
    ssize_t n = readlink(path, buf, sizeof buf);
    CHECK(n > 0);
    if (n > 0)
        printf("readlink %s -> \"%.*s\" (%zd)\n", path, (int)n, buf, n);
}

int main(void) {
    show("/data/link-rel");
    show("/data/link-abs");
    show("/data/link-chain");
    show("/data/link-dir");
    show("/data/link-up");
    show("/data/loop-a");
    show("/data/self-loop");
    show("/data/dangling");
    show("data/link-deep");
    show("/data/link-dir/../link-rel");

    char small[4] = {'#', '#', '#', '#'};
    EXPECT_EQ("readlink into 3 bytes", readlink("/data/link-abs", small, 3), 3);
    EXPECT_EQ("truncated, no NUL", memcmp(small, "/da#", 4), 0);

    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    char buf[64];
    ssize_t n = readlinkat(dir, "link-chain", buf, sizeof buf);
    EXPECT_EQ("readlinkat(data, link-chain)", n, 8);
    EXPECT_EQ("  text", memcmp(buf, "link-rel", 8), 0);
    n = readlinkat(AT_FDCWD, "/data/link-up", buf, sizeof buf);
    EXPECT_EQ("readlinkat(AT_FDCWD, absolute)", n, 21);

    EXPECT_ERR("readlink a regular file", readlink("/data/hello.txt", buf, sizeof buf), EINVAL);
    EXPECT_ERR("readlink a directory", readlink("/data", buf, sizeof buf), EINVAL);
    EXPECT_ERR("readlink missing", readlink("/data/missing", buf, sizeof buf), ENOENT);
    EXPECT_ERR("readlink through a file", readlink("/data/hello.txt/x", buf, sizeof buf), ENOTDIR);
    EXPECT_ERR("readlink bufsiz 0", syscall(SYS_readlink, "/data/link-rel", buf, 0), EINVAL);
    EXPECT_ERR("readlink bad buffer", syscall(SYS_readlink, "/data/link-rel", (void *)1, 64), EFAULT);
    EXPECT_ERR("readlinkat bad dirfd", readlinkat(99, "link-rel", buf, sizeof buf), EBADF);
    EXPECT_ERR("readlinkat file dirfd", readlinkat(dir, "hello.txt/x", buf, sizeof buf), ENOTDIR);
    EXPECT_ERR("readlink empty path", readlink("", buf, sizeof buf), ENOENT);
    close(dir);
    return finish();
}
