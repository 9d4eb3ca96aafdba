/* mmap_file: private read-only file mappings of /data/pages.txt (10000 bytes, lines
 * "line NNNN\n"): contents at page boundaries, a mapping at a page offset, the tail of the
 * last page past EOF reads as zeroes, a private writable mapping's writes are not seen
 * by read(); errors: an unaligned offset (EINVAL), a write-only request on an O_RDONLY
 * fd's MAP_SHARED (EACCES), a directory (ENODEV), closing the fd keeps the mapping. */
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>

static int line_at(const char *base, size_t offset, char *out) {
    /* The line containing byte `offset`: its number, from the text itself. */
    size_t start = offset - offset % 10;
    memcpy(out, base + start, 9);
    out[9] = '\0';
    return atoi(out + 5);
}

int main(void) {
    int fd = open("/data/pages.txt", O_RDONLY);
    EXPECT_EQ("open /data/pages.txt", fd >= 0, 1);
    const char *m = mmap(NULL, 10000, PROT_READ, MAP_PRIVATE, fd, 0);
    EXPECT_EQ("mmap 10000 bytes PROT_READ MAP_PRIVATE", m != MAP_FAILED, 1);
    if (m == MAP_FAILED)
        return finish();
    char line[16];
    EXPECT_STR("first line", (memcpy(line, m, 9), line[9] = 0, line), "line 0000");
    EXPECT_EQ("line at byte 4095", line_at(m, 4095, line), 409);
    EXPECT_EQ("line at byte 4096", line_at(m, 4096, line), 409);
    EXPECT_EQ("line at byte 8200", line_at(m, 8200, line), 820);
    EXPECT_EQ("last byte is a newline", m[9999], '\n');
    int zero = 1;
    for (int i = 10000; i < 3 * 4096; i++)
        if (m[i])
            zero = 0;
    EXPECT_EQ("bytes past EOF in the last page are zero", zero, 1);
    char buf[10000];
    EXPECT_EQ("pread whole file", pread(fd, buf, sizeof buf, 0), 10000);
    EXPECT_EQ("mapping equals the file", memcmp(buf, m, 10000), 0);
    EXPECT_OK("munmap", munmap((void *)m, 10000));

    const char *second = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
    EXPECT_EQ("mmap offset 4096", second != MAP_FAILED, 1);
    if (second != MAP_FAILED) {
        EXPECT_EQ("offset mapping starts mid line 409", memcmp(second, buf + 4096, 4096), 0);
        munmap((void *)second, 4096);
    }

    char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    EXPECT_EQ("mmap private writable", w != MAP_FAILED, 1);
    if (w != MAP_FAILED) {
        memcpy(w, "LINE", 4);
        EXPECT_EQ("private copy changed", memcmp(w, "LINE 0000", 9), 0);
        char again[9];
        EXPECT_EQ("pread 9", pread(fd, again, 9, 0), 9);
        EXPECT_EQ("file unchanged", memcmp(again, "line 0000", 9), 0);
        munmap(w, 4096);
    }

    EXPECT_ERR("mmap offset 100 (unaligned)", (long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
    EXPECT_ERR("mmap MAP_SHARED PROT_WRITE of an O_RDONLY fd", (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);

    /* The mapping outlives its descriptor. */
    const char *kept = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    EXPECT_OK("close", close(fd));
    EXPECT_EQ("mapping readable after close", kept != MAP_FAILED && memcmp(kept, "line 0000\nline 0001", 19) == 0, 1);

    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ("open /data", dir >= 0, 1);
    EXPECT_ERR("mmap a directory", (long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
    close(dir);

    int empty = open("/data/empty", O_RDONLY);
    const char *e = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, empty, 0);
    EXPECT_EQ("mmap an empty file succeeds", e != MAP_FAILED, 1);
    close(empty);
    return finish();
}
