/* paths: path resolution: ".", "..", repeated slashes, ".." at the root, relative
 * symlinks, absolute symlinks, chains, a symlinked directory in the middle (".." after it
 * goes to the link target's parent), a symlink with ".." in its text; errors: symlink
 * loops and self-loops (ELOOP), dangling (ENOENT), a file used as a directory (ENOTDIR),
 * a name component over 255 bytes and a path over 4095 (ENAMETOOLONG), an empty path
 * (ENOENT). */
#include "check.h"
#include <fcntl.h>

/* Opens and reads `path`, printing what came of it; `should_open` is checked too. */
static void try_open(const char *path, int should_open) {
    char buf[64];
    long n = slurp(path, buf, sizeof buf);
    CHECK((n >= 0) == should_open);
    if (n < 0)
        printf("open %s: %s\n", path, err_name(errno));
    else
        printf("open %s: %ld bytes \"%.*s\"\n", path, n, (int)(n > 0 && buf[n - 1] == '\n' ? n - 1 : n), buf);
}

int main(void) {
    const char *good[] = {
        "/data/hello.txt",
        "/data/./hello.txt",
        "//data///hello.txt",
        "/data/sub/../hello.txt",
        "/../../data/hello.txt",
        "/data/sub/deeper/../../sub/inner.txt",
        "/./data/./sub/./deeper/./leaf.txt",
        "/data/link-rel",
        "/data/link-abs",
        "/data/link-chain",
        "/data/link-chain2",
        "/data/link-up",
        "/data/link-dir/inner.txt",
        "/data/link-dir/../hello.txt",
        "/data/link-dir/deeper/leaf.txt",
        "/data/link-deep/leaf.txt",
        "/data/link-deep/../inner.txt",
        "data/link-dir/./inner.txt",
        "/data/link-dir/../link-dir/../link-rel",
    };
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++)
        try_open(good[i], 1);
    const char *bad[] = {
        "/data/loop-a",     "/data/loop-b/x",      "/data/self-loop", "/data/dangling",
        "/data/hello.txt/", "/data/hello.txt/x",   "/data/nope/x",    "/data/link-rel/x",
        "/data/sub/../../../nope", "",
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        try_open(bad[i], 0);
    EXPECT_ERR("open loop", open("/data/loop-a", O_RDONLY), ELOOP);
    EXPECT_ERR("open self-loop", open("/data/self-loop", O_RDONLY), ELOOP);
    EXPECT_ERR("open dangling", open("/data/dangling", O_RDONLY), ENOENT);
    EXPECT_ERR("open file as a directory", open("/data/hello.txt/x", O_RDONLY), ENOTDIR);

    char name[300];
    memset(name, 'a', sizeof name);
    name[0] = '/';
    name[256 + 1] = '\0'; /* "/" + 256 'a's */
    EXPECT_ERR("a 256-byte component", open(name, O_RDONLY), ENAMETOOLONG);
    name[255 + 1] = '\0'; /* "/" + 255 'a's: long but legal, just missing */
    EXPECT_ERR("a 255-byte component", open(name, O_RDONLY), ENOENT);

    static char longpath[5000];
    for (int i = 0; i < 4998; i += 2) {
        longpath[i] = '/';
        longpath[i + 1] = '.';
    }
    longpath[4998] = '\0';
    EXPECT_ERR("a 4998-byte path", open(longpath, O_RDONLY), ENAMETOOLONG);
    longpath[4094] = '\0'; /* 4094 bytes of "/./././...": a legal path to / */
    int fd = open(longpath, O_RDONLY | O_DIRECTORY);
    EXPECT_EQ("a 4094-byte path of /. opens /", fd >= 0, 1);
    close(fd);
    EXPECT_ERR("empty path", open("", O_RDONLY), ENOENT);
    return finish();
}
