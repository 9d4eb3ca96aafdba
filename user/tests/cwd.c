/* cwd: getcwd/chdir/fchdir: the start directory is /, chdir to absolute and relative
 * paths, "..", "." and ".." at the root, through a symlinked directory (getcwd shows the
 * resolved path), fchdir to an open directory, relative opens after chdir; errors: chdir
 * to a file (ENOTDIR), to a missing path (ENOENT), fchdir of a file (ENOTDIR) and a bad fd
 * (EBADF), getcwd into too small a buffer (ERANGE) and size 0 with a buffer (EINVAL). */
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>

static void show(const char *what) {
    char buf[256];
    CHECK(getcwd(buf, sizeof buf) != NULL);
    printf("%s: cwd %s\n", what, buf);
}

int main(void) {
    show("at start");
    EXPECT_OK("chdir /data", chdir("/data"));
    show("after chdir /data");
    EXPECT_OK("chdir sub (relative)", chdir("sub"));
    show("after chdir sub");
    EXPECT_OK("chdir deeper/..", chdir("deeper/.."));
    show("after deeper/..");
    EXPECT_OK("chdir ..", chdir(".."));
    show("after ..");
    EXPECT_OK("chdir link-dir (a symlink to sub)", chdir("link-dir"));
    show("after link-dir");
    char buf[64];
    EXPECT_EQ("open inner.txt relative", slurp("inner.txt", buf, sizeof buf), 6);
    EXPECT_OK("chdir ../link-deep", chdir("../link-deep"));
    show("after ../link-deep");
    EXPECT_EQ("open leaf.txt relative", slurp("leaf.txt", buf, sizeof buf), 5);
    EXPECT_OK("chdir /", chdir("/"));
    EXPECT_OK("chdir .. at the root", chdir(".."));
    show("after .. at /");
    EXPECT_OK("chdir ./data/./sub/.", chdir("./data/./sub/."));
    show("after ./data/./sub/.");

    EXPECT_ERR("chdir a file", chdir("/data/hello.txt"), ENOTDIR);
    EXPECT_ERR("chdir missing", chdir("/data/missing"), ENOENT);
    EXPECT_ERR("chdir empty", chdir(""), ENOENT);
    EXPECT_ERR("chdir a loop", chdir("/data/loop-a"), ELOOP);
    show("after the failures");

    int dir = open("/data/sub/deeper", O_RDONLY | O_DIRECTORY);
    EXPECT_OK("fchdir deeper", fchdir(dir));
    show("after fchdir");
    close(dir);
    int file = open("/data/hello.txt", O_RDONLY);
    EXPECT_ERR("fchdir a file", fchdir(file), ENOTDIR);
    close(file);
    EXPECT_ERR("fchdir 99", fchdir(99), EBADF);

    char small[8];
    EXPECT_EQ("getcwd into 8 bytes", getcwd(small, sizeof small) == NULL && errno == ERANGE, 1);
    EXPECT_EQ("raw getcwd returns length + 1", syscall(SYS_getcwd, buf, sizeof buf), 17);
    EXPECT_ERR("raw getcwd size 0", syscall(SYS_getcwd, buf, 0), ERANGE);
    EXPECT_ERR("raw getcwd bad buffer", syscall(SYS_getcwd, (void *)1, 64), EFAULT);
    char *owned = getcwd(NULL, 0);
    EXPECT_STR("getcwd(NULL, 0)", owned, "/data/sub/deeper");
    free(owned);
    return finish();
}
