/* stat: stat64/lstat64/fstat64/fstatat64 (raw syscalls, the kernel's struct stat64) and
 * statx and glibc's stat/lstat/fstat: sizes, file type bits, permission bits, nlink
 * (files 1; directories 2 + subdirectories); lstat of a symlink gives S_IFLNK and the
 * target's length; AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH; errors ENOENT, ENOTDIR, EBADF,
 * EFAULT, empty path ENOENT, a dangling symlink ENOENT for stat but not lstat. Inode
 * numbers, devices, times and directory sizes are not printed (they differ between file
 * systems), nor the root's nlink (the oracle's root holds one more directory). */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static void show(const char *what, const struct stat64 *st) {
    const char *type = S_ISREG(st->st_mode)   ? "regular"
                       : S_ISDIR(st->st_mode) ? "directory"
                       : S_ISLNK(st->st_mode) ? "symlink"
                                              : "other";
    /* A directory's size is the file system's business (ext4: 4096, cpio: 0): not shown. */
    if (S_ISDIR(st->st_mode))
        printf("%s: %s mode %04o nlink %u\n", what, type, (unsigned)(st->st_mode & 07777), (unsigned)st->st_nlink);
    else
        printf("%s: %s mode %04o nlink %u size %lld\n", what, type, (unsigned)(st->st_mode & 07777),
               (unsigned)st->st_nlink, (long long)st->st_size);
}

static void show_statx(const char *what, const struct statx *sx) {
    printf("%s: statx type %o mode %04o nlink %u size %llu mask-basic %d\n", what,
           (unsigned)(sx->stx_mode & S_IFMT), (unsigned)(sx->stx_mode & 07777), (unsigned)sx->stx_nlink,
           S_ISDIR(sx->stx_mode) ? 0ULL : (unsigned long long)sx->stx_size,
           (sx->stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
}

int main(void) {
    struct stat64 st;
    const char *paths[] = {"/data/hello.txt", "/data/pages.txt", "/data/empty", "/data/script.sh",
                           "/data", "/data/sub", "/data/sub/deeper", "/etc", "/data/link-rel",
                           "/data/link-dir"};
    for (unsigned i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        memset(&st, 0, sizeof st);
        long r = syscall(SYS_stat64, paths[i], &st);
        CHECK(r == 0);
        char label[64];
        snprintf(label, sizeof label, "stat64 %s", paths[i]);
        show(label, &st);
    }
    const char *links[] = {"/data/link-rel", "/data/link-abs", "/data/link-dir", "/data/dangling", "/data/hello.txt"};
    for (unsigned i = 0; i < sizeof links / sizeof links[0]; i++) {
        memset(&st, 0, sizeof st);
        long r = syscall(SYS_lstat64, links[i], &st);
        CHECK(r == 0);
        char label[64];
        snprintf(label, sizeof label, "lstat64 %s", links[i]);
        printf("%s: %s size %lld\n", label, S_ISLNK(st.st_mode) ? "symlink" : "not a symlink", (long long)st.st_size);
    }

    int fd = open("/data/pages.txt", O_RDONLY);
    EXPECT_EQ("fstat64 pages.txt", syscall(SYS_fstat64, fd, &st), 0);
    show("fstat64 pages.txt", &st);
    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ("fstatat64(data, sub/inner.txt)", syscall(SYS_fstatat64, dir, "sub/inner.txt", &st, 0), 0);
    show("fstatat64 sub/inner.txt", &st);
    EXPECT_EQ("fstatat64(data, link-rel, NOFOLLOW)", syscall(SYS_fstatat64, dir, "link-rel", &st, AT_SYMLINK_NOFOLLOW), 0);
    EXPECT_EQ("  is a symlink", S_ISLNK(st.st_mode), 1);
    EXPECT_EQ("fstatat64(fd, \"\", AT_EMPTY_PATH)", syscall(SYS_fstatat64, fd, "", &st, AT_EMPTY_PATH), 0);
    EXPECT_EQ("  size", st.st_size, 10000);
    EXPECT_ERR("fstatat64 bad flags", syscall(SYS_fstatat64, dir, "sub", &st, 0x1), EINVAL);

    struct statx sx;
    EXPECT_OK("statx /data/sub/inner.txt", statx(AT_FDCWD, "/data/sub/inner.txt", 0, STATX_BASIC_STATS, &sx));
    show_statx("statx inner.txt", &sx);
    EXPECT_OK("statx dir-relative sub", statx(dir, "sub", 0, STATX_BASIC_STATS, &sx));
    show_statx("statx sub", &sx);
    EXPECT_OK("statx link-chain NOFOLLOW", statx(dir, "link-chain", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
    show_statx("statx link-chain", &sx);
    EXPECT_OK("statx link-chain followed", statx(dir, "link-chain", 0, STATX_BASIC_STATS, &sx));
    show_statx("statx link-chain followed", &sx);
    EXPECT_OK("statx AT_EMPTY_PATH", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
    EXPECT_EQ("  size", sx.stx_size, 10000);
    EXPECT_ERR("statx missing", statx(AT_FDCWD, "/data/nope", 0, STATX_BASIC_STATS, &sx), ENOENT);
    EXPECT_ERR("statx bad dirfd", statx(99, "x", 0, STATX_BASIC_STATS, &sx), EBADF);
    EXPECT_ERR("statx bad flags", statx(AT_FDCWD, "/", 0x1, STATX_BASIC_STATS, &sx), EINVAL);

    struct stat gs;
    EXPECT_OK("glibc stat /data/sub", stat("/data/sub", &gs));
    EXPECT_EQ("  nlink", gs.st_nlink, 3);
    EXPECT_OK("glibc lstat /data/link-abs", lstat("/data/link-abs", &gs));
    EXPECT_EQ("  symlink size", gs.st_size, 15);
    EXPECT_OK("glibc fstat", fstat(fd, &gs));
    EXPECT_EQ("  regular", S_ISREG(gs.st_mode), 1);

    EXPECT_ERR("stat64 missing", syscall(SYS_stat64, "/data/missing", &st), ENOENT);
    EXPECT_ERR("stat64 through a file", syscall(SYS_stat64, "/data/hello.txt/x", &st), ENOTDIR);
    EXPECT_ERR("stat64 empty path", syscall(SYS_stat64, "", &st), ENOENT);
    EXPECT_ERR("stat64 dangling", syscall(SYS_stat64, "/data/dangling", &st), ENOENT);
    EXPECT_ERR("stat64 bad buffer", syscall(SYS_stat64, "/data", (void *)1), EFAULT);
    EXPECT_ERR("stat64 bad path pointer", syscall(SYS_stat64, (void *)1, &st), EFAULT);
    EXPECT_ERR("fstat64 fd 99", syscall(SYS_fstat64, 99, &st), EBADF);
    EXPECT_ERR("lstat64 missing", syscall(SYS_lstat64, "/nope", &st), ENOENT);
    close(fd);
    close(dir);
    return finish();
}
