/* getdents: getdents64 of /data, /data/sub and / (entries sorted by name, with d_type;
 * "." and ".." included), reading in small buffers (several calls), at the end 0, a
 * buffer too small for one entry (EINVAL), a regular file (ENOTDIR), a bad fd (EBADF),
 * rewinding with lseek; opendir/readdir64 on top (readdir64: under qemu-m68k on a 64-bit
 * host, ext4's 64-bit d_off makes glibc's 32-bit readdir fail with EOVERFLOW). */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>

struct entry {
    char name[64];
    unsigned char type;
};

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static const char *type_name(unsigned char t) {
    switch (t) {
    case DT_REG: return "reg";
    case DT_DIR: return "dir";
    case DT_LNK: return "lnk";
    default: return "?";
    }
}

/* Lists a directory with getdents64 in buffers of `size` bytes; returns the calls made. */
static int list(const char *path, size_t size, int print) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0);
    static struct entry entries[128];
    int n = 0, calls = 0;
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        long got = syscall(SYS_getdents64, fd, buf, size);
        calls++;
        if (got <= 0) {
            CHECK(got == 0);
            break;
        }
        for (long off = 0; off < got;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            /* Linux aligns records to 8 bytes, qemu-m68k to 2: only sanity is checked. */
            CHECK(d->d_reclen >= 20 && d->d_reclen <= got - off);
            if (n < 128) {
                snprintf(entries[n].name, sizeof entries[n].name, "%.63s", d->d_name);
                entries[n].type = d->d_type;
                n++;
            }
            off += d->d_reclen;
        }
    }
    qsort(entries, (size_t)n, sizeof entries[0], by_name);
    if (print) {
        printf("%s: %d entries\n", path, n);
        for (int i = 0; i < n; i++)
            if (strcmp(path, "/") != 0 || entries[i].name[0] != '.' || strlen(entries[i].name) <= 2)
                printf("  %s %s\n", type_name(entries[i].type), entries[i].name);
    }
    close(fd);
    return calls;
}

int main(void) {
    list("/data", 4096, 1);
    list("/data/sub", 4096, 1);
    list("/data/sub/deeper", 4096, 1);
    EXPECT_EQ("small buffers need several calls", list("/data", 64, 0) > 2, 1);

    int fd = open("/data", O_RDONLY | O_DIRECTORY);
    char buf[4096] __attribute__((aligned(8)));
    EXPECT_ERR("getdents64 buffer of 8 bytes", syscall(SYS_getdents64, fd, buf, 8), EINVAL);
    long first = syscall(SYS_getdents64, fd, buf, sizeof buf);
    EXPECT_EQ("first read nonempty", first > 0, 1);
    EXPECT_EQ("then 0", syscall(SYS_getdents64, fd, buf, sizeof buf), 0);
    EXPECT_EQ("rewind", lseek(fd, 0, SEEK_SET), 0);
    EXPECT_EQ("same length again", syscall(SYS_getdents64, fd, buf, sizeof buf) == first, 1);
    EXPECT_ERR("getdents64 bad buffer", (lseek(fd, 0, SEEK_SET), syscall(SYS_getdents64, fd, (void *)1, sizeof buf)), EFAULT);
    close(fd);
    int file = open("/data/hello.txt", O_RDONLY);
    EXPECT_ERR("getdents64 of a file", syscall(SYS_getdents64, file, buf, sizeof buf), ENOTDIR);
    close(file);
    EXPECT_ERR("getdents64 fd 99", syscall(SYS_getdents64, 99, buf, sizeof buf), EBADF);

    DIR *d = opendir("/data/sub");
    EXPECT_EQ("opendir /data/sub", d != NULL, 1);
    int count = 0, found = 0;
    struct dirent64 *e;
    while (d && (e = readdir64(d)) != NULL) {
        count++;
        if (strcmp(e->d_name, "inner.txt") == 0 && e->d_type == DT_REG)
            found = 1;
    }
    EXPECT_EQ("readdir entries", count, 4);
    EXPECT_EQ("readdir found inner.txt", found, 1);
    if (d)
        closedir(d);
    EXPECT_EQ("opendir of a file fails", opendir("/data/hello.txt") == NULL && errno == ENOTDIR, 1);

    /* The root: only names the image itself has (the oracle's /.oracle is hidden). */
    DIR *root = opendir("/");
    int has_data = 0, has_tests = 0;
    while (root && (e = readdir64(root)) != NULL) {
        if (strcmp(e->d_name, "data") == 0 && e->d_type == DT_DIR)
            has_data = 1;
        if (strcmp(e->d_name, "tests") == 0 && e->d_type == DT_DIR)
            has_tests = 1;
    }
    EXPECT_EQ("/ has data/ and tests/", has_data && has_tests, 1);
    if (root)
        closedir(root);
    return finish();
}
