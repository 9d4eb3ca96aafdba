/* open_flags: O_DIRECTORY (a directory opens; a file gives ENOTDIR, also through a
 * symlink to a file), O_NOFOLLOW (a final symlink gives ELOOP; a symlink earlier in the
 * path is still followed; a regular file opens), O_CLOEXEC (FD_CLOEXEC set), a directory
 * opened O_RDONLY reads as EISDIR, a directory opened for writing (EISDIR), O_CREAT|O_EXCL
 * on an existing file (EEXIST), a trailing slash on a file (ENOTDIR), and O_NOFOLLOW with
 * O_DIRECTORY on a symlink to a directory (ENOTDIR: the unfollowed link is no directory). */
#include "check.h"
#include <fcntl.h>

int main(void) {
    int fd = open("/data/sub", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ("O_DIRECTORY on a directory", fd >= 0, 1);
    close(fd);
    EXPECT_ERR("O_DIRECTORY on a file", open("/data/hello.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
    EXPECT_ERR("O_DIRECTORY on a symlink to a file", open("/data/link-rel", O_RDONLY | O_DIRECTORY), ENOTDIR);
    fd = open("/data/link-dir", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ("O_DIRECTORY on a symlink to a directory", fd >= 0, 1);
    close(fd);

    EXPECT_ERR("O_NOFOLLOW on a symlink", open("/data/link-rel", O_RDONLY | O_NOFOLLOW), ELOOP);
    EXPECT_ERR("O_NOFOLLOW on a dangling symlink", open("/data/dangling", O_RDONLY | O_NOFOLLOW), ELOOP);
    fd = open("/data/link-dir/inner.txt", O_RDONLY | O_NOFOLLOW);
    EXPECT_EQ("O_NOFOLLOW follows links before the last component", fd >= 0, 1);
    close(fd);
    fd = open("/data/hello.txt", O_RDONLY | O_NOFOLLOW);
    EXPECT_EQ("O_NOFOLLOW on a regular file", fd >= 0, 1);
    close(fd);

    fd = open("/data/hello.txt", O_RDONLY | O_CLOEXEC);
    EXPECT_EQ("O_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
    close(fd);
    fd = open("/data/hello.txt", O_RDONLY);
    EXPECT_EQ("without O_CLOEXEC: 0", fcntl(fd, F_GETFD), 0);
    close(fd);

    fd = open("/data", O_RDONLY);
    char c;
    EXPECT_EQ("a directory opens O_RDONLY", fd >= 0, 1);
    EXPECT_ERR("read of it", read(fd, &c, 1), EISDIR);
    close(fd);
    EXPECT_ERR("a directory O_WRONLY", open("/data", O_WRONLY), EISDIR);
    EXPECT_ERR("a directory O_RDWR", open("/data/sub", O_RDWR), EISDIR);
    EXPECT_ERR("O_CREAT|O_EXCL on an existing file", open("/data/hello.txt", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    EXPECT_ERR("O_CREAT|O_EXCL on an existing directory", open("/data/sub", O_RDONLY | O_CREAT | O_EXCL, 0755), EEXIST);
    EXPECT_ERR("trailing slash on a file", open("/data/hello.txt/", O_RDONLY), ENOTDIR);
    fd = open("/data/sub/", O_RDONLY);
    EXPECT_EQ("trailing slash on a directory", fd >= 0, 1);
    close(fd);
    EXPECT_ERR("O_NOFOLLOW|O_DIRECTORY on a symlink to a directory", open("/data/link-dir", O_RDONLY | O_NOFOLLOW | O_DIRECTORY), ENOTDIR);
    return finish();
}
