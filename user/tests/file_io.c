/* file_io: open/openat/close/read/write on the read-only root: whole and partial reads,
 * a read at EOF returns 0, openat relative to a directory fd and AT_FDCWD, relative
 * paths from /, write(2)-level errors: write to an O_RDONLY fd (EBADF), read from a
 * closed fd (EBADF), close twice (EBADF), open of a missing file (ENOENT), openat with a
 * file as dirfd (ENOTDIR), openat with a bad dirfd (EBADF), a relative path with an
 * absolute one ignoring dirfd; write to stdout returns its count. */
#include "check.h"
#include <fcntl.h>

int main(void) {
    char buf[64];
    int fd = open("/data/hello.txt", O_RDONLY);
    EXPECT_EQ("open /data/hello.txt", fd >= 3, 1);
    EXPECT_EQ("read 5", read(fd, buf, 5), 5);
    buf[5] = 0;
    EXPECT_STR("first 5 bytes", buf, "hello");
    EXPECT_EQ("read the rest (asks 64)", read(fd, buf, sizeof buf), 8);
    buf[8] = 0;
    EXPECT_STR("the rest", buf, ", world\n");
    EXPECT_EQ("read at EOF", read(fd, buf, sizeof buf), 0);
    EXPECT_ERR("write to O_RDONLY fd", write(fd, "x", 1), EBADF);
    EXPECT_OK("close", close(fd));
    EXPECT_ERR("read closed fd", read(fd, buf, 1), EBADF);
    EXPECT_ERR("close twice", close(fd), EBADF);
    EXPECT_ERR("open /data/missing", open("/data/missing", O_RDONLY), ENOENT);
    EXPECT_ERR("open /missing/file", open("/missing/file", O_RDONLY), ENOENT);

    int dir = open("/data/sub", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ("open /data/sub as a directory", dir >= 0, 1);
    int in = openat(dir, "inner.txt", O_RDONLY);
    EXPECT_EQ("openat(sub, inner.txt)", in >= 0, 1);
    EXPECT_EQ("read inner.txt", read(in, buf, sizeof buf), 6);
    close(in);
    int leaf = openat(dir, "deeper/leaf.txt", O_RDONLY);
    EXPECT_EQ("openat(sub, deeper/leaf.txt)", leaf >= 0, 1);
    EXPECT_EQ("read leaf.txt", read(leaf, buf, sizeof buf), 5);
    close(leaf);
    int abs = openat(dir, "/data/hello.txt", O_RDONLY);
    EXPECT_EQ("openat(sub, absolute path) ignores dirfd", abs >= 0, 1);
    close(abs);
    int up = openat(dir, "../hello.txt", O_RDONLY);
    EXPECT_EQ("openat(sub, ../hello.txt)", up >= 0, 1);
    close(up);
    int cwd = openat(AT_FDCWD, "data/hello.txt", O_RDONLY);
    EXPECT_EQ("openat(AT_FDCWD, data/hello.txt) from /", cwd >= 0, 1);
    int rel = open("data/sub/inner.txt", O_RDONLY);
    EXPECT_EQ("open relative data/sub/inner.txt", rel >= 0, 1);
    close(rel);
    EXPECT_ERR("openat(file fd, x)", openat(cwd, "x", O_RDONLY), ENOTDIR);
    EXPECT_ERR("openat(99, x)", openat(99, "x", O_RDONLY), EBADF);
    EXPECT_ERR("openat(-5, x)", openat(-5, "x", O_RDONLY), EBADF);
    close(cwd);
    close(dir);

    EXPECT_EQ("lowest free fd reused", open("/data/hello.txt", O_RDONLY), 3);
    close(3);

    int empty = open("/data/empty", O_RDONLY);
    EXPECT_EQ("read of an empty file", read(empty, buf, sizeof buf), 0);
    close(empty);

    const char line[] = "file_io: this line written with write(1)\n";
    EXPECT_EQ("write(1) count", write(1, line, sizeof line - 1), (long)(sizeof line - 1));
    EXPECT_EQ("write(1, 0 bytes)", write(1, line, 0), 0);
    EXPECT_ERR("write(99)", write(99, "x", 1), EBADF);
    EXPECT_ERR("read(-1)", read(-1, buf, 1), EBADF);
    return finish();
}
