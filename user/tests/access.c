/* access: access/faccessat as root (uid 0): F_OK and R_OK on files and directories, X_OK
 * on an executable file and a directory (granted) and a file with no x bit (EACCES even
 * for root), through symlinks, faccessat relative to a directory fd and with
 * AT_SYMLINK_NOFOLLOW on a dangling link; errors ENOENT, ENOTDIR, EINVAL (bad mode, bad
 * flags), EBADF, EFAULT. W_OK is not asked: the image is read-only (EROFS) while the
 * oracle's copy of it is not. */
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>

int main(void) {
    EXPECT_OK("access /data/hello.txt F_OK", access("/data/hello.txt", F_OK));
    EXPECT_OK("access /data/hello.txt R_OK", access("/data/hello.txt", R_OK));
    EXPECT_OK("access /data R_OK|X_OK", access("/data", R_OK | X_OK));
    EXPECT_OK("access /data/script.sh X_OK", access("/data/script.sh", X_OK));
    EXPECT_OK("access /tests/access X_OK", access("/tests/access", X_OK));
    EXPECT_ERR("access /data/hello.txt X_OK", access("/data/hello.txt", X_OK), EACCES);
    EXPECT_OK("access via a symlink chain", access("/data/link-chain2", R_OK));
    EXPECT_ERR("access a dangling symlink", access("/data/dangling", F_OK), ENOENT);
    EXPECT_ERR("access a symlink loop", access("/data/loop-a", F_OK), ELOOP);
    EXPECT_ERR("access missing", access("/data/missing", F_OK), ENOENT);
    EXPECT_ERR("access through a file", access("/data/hello.txt/", F_OK), ENOTDIR);
    EXPECT_ERR("access bad mode", access("/data", 0x10), EINVAL);
    EXPECT_ERR("access bad pointer", syscall(SYS_access, (void *)1, F_OK), EFAULT);
    EXPECT_ERR("access empty path", access("", F_OK), ENOENT);

    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    EXPECT_OK("faccessat(data, sub/inner.txt, R_OK)", faccessat(dir, "sub/inner.txt", R_OK, 0));
    EXPECT_ERR("faccessat(data, missing)", faccessat(dir, "missing", F_OK, 0), ENOENT);
    EXPECT_OK("faccessat(AT_FDCWD, data/empty)", faccessat(AT_FDCWD, "data/empty", R_OK, 0));
    EXPECT_ERR("faccessat(99, x)", faccessat(99, "x", F_OK, 0), EBADF);
    EXPECT_ERR("raw faccessat bad mode", syscall(SYS_faccessat, dir, "sub", 0x10), EINVAL);
    close(dir);
    return finish();
}
