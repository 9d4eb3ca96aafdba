/* tmpfs_files: the writable file system's contents (issue 18 item 5), in /tmp/tmpfs_files:
 * open with O_CREAT, O_EXCL, O_TRUNC, O_APPEND (mode & ~umask), creat, write and read
 * back, EBADF for the wrong access mode, a write that grows a file past a hole (zeros
 * there), pwrite/pread, ftruncate/truncate64 shrinking and growing (zeros again),
 * ftruncate's EINVAL on a read-only descriptor, truncate's EISDIR and EINVAL, an image
 * file copied on write (the original bytes kept around the change), a file unlinked
 * while open still read through its descriptor (st_nlink 0), a private mapping of a
 * written file, fsync/fdatasync, statfs. Cleans up after itself. */
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define DIR_ "/tmp/tmpfs_files"

static off_t size_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static int read_all(const char *path, char *buf, int size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = (int)read(fd, buf, size);
    close(fd);
    return n;
}

int main(void) {
    char buf[8192];
    struct stat st;
    mkdir("/tmp", 01777); /* may be there already (the oracle runs tests side by side) */
    EXPECT_OK("mkdir " DIR_, mkdir(DIR_, 0777));
    EXPECT_OK("chdir " DIR_, chdir(DIR_));

    int fd = open("a", O_WRONLY | O_CREAT | O_EXCL, 0666);
    EXPECT_EQ("open(a, O_CREAT|O_EXCL) gives a descriptor", fd >= 3, 1);
    EXPECT_OK("fstat a", fstat(fd, &st));
    EXPECT_EQ("a's mode is 0666 & ~022", st.st_mode, 0100644);
    EXPECT_EQ("a's size", st.st_size, 0);
    EXPECT_EQ("a's links", st.st_nlink, 1);
    EXPECT_EQ("write 11 bytes", write(fd, "hello world", 11), 11);
    EXPECT_ERR("read from O_WRONLY", read(fd, buf, 4), EBADF);
    EXPECT_EQ("lseek to the end", lseek(fd, 0, SEEK_END), 11);
    close(fd);
    EXPECT_ERR("O_CREAT|O_EXCL again", open("a", O_WRONLY | O_CREAT | O_EXCL, 0666), EEXIST);
    EXPECT_ERR("O_CREAT with a trailing slash", open("new/", O_WRONLY | O_CREAT, 0666), EISDIR);
    EXPECT_ERR("O_CREAT in a missing directory", open("missing/x", O_WRONLY | O_CREAT, 0666), ENOENT);
    EXPECT_ERR("O_CREAT under a file", open("a/x", O_WRONLY | O_CREAT, 0666), ENOTDIR);

    fd = open("a", O_RDONLY);
    buf[read(fd, buf, sizeof buf)] = 0;
    EXPECT_STR("read back", buf, "hello world");
    EXPECT_ERR("write to O_RDONLY", write(fd, "x", 1), EBADF);
    close(fd);

    fd = open("a", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    EXPECT_EQ("O_APPEND write", write(fd, "!!", 2), 2);
    EXPECT_EQ("O_APPEND moved the offset to the end", lseek(fd, 0, SEEK_CUR), 13);
    close(fd);
    buf[read_all("a", buf, sizeof buf)] = 0;
    EXPECT_STR("appended", buf, "hello world!!");

    fd = open("a", O_RDWR);
    EXPECT_EQ("overwrite in the middle", pwrite(fd, "WORLD", 5, 6), 5);
    EXPECT_EQ("pread", pread(fd, buf, 13, 0), 13);
    buf[13] = 0;
    EXPECT_STR("after pwrite", buf, "hello WORLD!!");
    close(fd);

    fd = open("a", O_RDWR | O_TRUNC);
    EXPECT_EQ("O_TRUNC empties it", size_of("a"), 0);
    /* A write past the end leaves a hole that reads as zeros. */
    EXPECT_EQ("pwrite at 10000", pwrite(fd, "x", 1, 10000), 1);
    EXPECT_EQ("size after the hole", size_of("a"), 10001);
    memset(buf, 'q', sizeof buf);
    EXPECT_EQ("read in the hole", pread(fd, buf, 100, 5000), 100);
    int zeros = 1;
    for (int i = 0; i < 100; i++) zeros &= buf[i] == 0;
    EXPECT_EQ("the hole is zeros", zeros, 1);
    EXPECT_OK("ftruncate to 5", ftruncate(fd, 5));
    EXPECT_EQ("size after ftruncate", size_of("a"), 5);
    EXPECT_OK("truncate to 9000", truncate("a", 9000));
    EXPECT_EQ("read past the old end", pread(fd, buf, 10, 8000), 10);
    zeros = 1;
    for (int i = 0; i < 10; i++) zeros &= buf[i] == 0;
    EXPECT_EQ("growing adds zeros", zeros, 1);
    EXPECT_EQ("read at the end", pread(fd, buf, 10, 9000), 0);
    close(fd);
    fd = open("a", O_RDONLY);
    EXPECT_ERR("ftruncate of O_RDONLY", ftruncate(fd, 0), EINVAL);
    close(fd);
    EXPECT_ERR("truncate of a directory", truncate(".", 0), EISDIR);
    EXPECT_ERR("truncate to -1", truncate("a", -1), EINVAL);
    EXPECT_ERR("truncate of a missing file", truncate("nope", 0), ENOENT);

    fd = creat("c", 0600);
    EXPECT_EQ("creat", fd >= 0, 1);
    EXPECT_OK("fstat c", fstat(fd, &st));
    EXPECT_EQ("creat's mode", st.st_mode, 0100600);
    EXPECT_ERR("read from creat's descriptor", read(fd, buf, 1), EBADF);
    close(fd);
    mode_t old = umask(0);
    fd = open("u", O_WRONLY | O_CREAT, 0777);
    fstat(fd, &st);
    EXPECT_EQ("umask 0 keeps 0777", st.st_mode, 0100777);
    close(fd);
    umask(old);

    /* An image file, copied on the first write: the bytes around the change stay. */
    fd = open("/data/cow.txt", O_RDWR);
    int n = (int)read(fd, buf, sizeof buf);
    EXPECT_EQ("cow.txt is more than a page", n > 4096, 1);
    char first = buf[0], around = buf[4097];
    EXPECT_EQ("write into its second page", pwrite(fd, "#", 1, 4096), 1);
    char after[8192];
    EXPECT_EQ("read it all again", pread(fd, after, sizeof after, 0), n);
    EXPECT_EQ("its first byte kept", after[0], first);
    EXPECT_EQ("the byte written", after[4096], '#');
    EXPECT_EQ("the byte after kept", after[4097], around);
    EXPECT_EQ("and the rest", memcmp(after + 4097, buf + 4097, n - 4097), 0);
    EXPECT_EQ("restore it", pwrite(fd, buf + 4096, 1, 4096), 1);
    close(fd);

    /* Unlinked while open: readable until closed. */
    fd = open("gone", O_RDWR | O_CREAT, 0644);
    write(fd, "still here", 10);
    EXPECT_OK("unlink an open file", unlink("gone"));
    EXPECT_ERR("its name is gone", access("gone", F_OK), ENOENT);
    EXPECT_EQ("read through the descriptor", pread(fd, buf, 10, 0), 10);
    buf[10] = 0;
    EXPECT_STR("its contents", buf, "still here");
    fstat(fd, &st);
    EXPECT_EQ("its link count", st.st_nlink, 0);
    EXPECT_EQ("and it can still grow", write(fd, "!", 1), 1);
    close(fd);

    /* A private mapping of a written file. */
    fd = open("m", O_RDWR | O_CREAT, 0644);
    for (int i = 0; i < 6000; i++) buf[i] = (char)('a' + i % 26);
    write(fd, buf, 6000);
    char *map = mmap(0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    EXPECT_EQ("mmap of a written file", map != MAP_FAILED, 1);
    if (map != MAP_FAILED) {
        EXPECT_EQ("its bytes", memcmp(map, buf, 6000), 0);
        EXPECT_EQ("zeros after the end", map[6000] | map[8191], 0);
        munmap(map, 8192);
    }
    EXPECT_OK("fsync", fsync(fd));
    EXPECT_OK("fdatasync", fdatasync(fd));
    close(fd);

    struct statfs sf;
    EXPECT_OK("statfs", statfs(DIR_, &sf));
    EXPECT_EQ("statfs name length", sf.f_namelen, 255);
    EXPECT_EQ("statfs has blocks", sf.f_blocks > 0, 1);
    fd = open(".", O_RDONLY);
    EXPECT_OK("fstatfs", fstatfs(fd, &sf));
    EXPECT_ERR("write to a directory descriptor", write(fd, "x", 1), EBADF);
    EXPECT_ERR("read of a directory", read(fd, buf, 1), EISDIR);
    close(fd);

    const char *names[] = {"a", "c", "u", "m"};
    for (int i = 0; i < 4; i++) CHECK(unlink(names[i]) == 0);
    chdir("/");
    EXPECT_OK("rmdir " DIR_, rmdir(DIR_));
    return finish();
}
