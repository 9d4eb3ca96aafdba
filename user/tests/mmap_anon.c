/* mmap_anon: anonymous private mappings through mmap (glibc: mmap2) and the raw mmap2
 * syscall: zero-filled, readable and writable, many pages, MAP_FIXED over part of a
 * mapping replaces it with zeroes, munmap of part and whole; errors: length 0, unaligned
 * MAP_FIXED address, neither PRIVATE nor SHARED (EINVAL), a file mapping of a bad fd
 * (EBADF), munmap unaligned (EINVAL). */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

int main(void) {
    size_t len = 16 * 4096;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("mmap 16 pages", p != MAP_FAILED, 1);
    if (p == MAP_FAILED)
        return finish();
    EXPECT_EQ("page aligned", ((uintptr_t)p & 4095) == 0, 1);
    int zero = 1;
    for (size_t i = 0; i < len; i++)
        if (p[i])
            zero = 0;
    EXPECT_EQ("zero-filled", zero, 1);
    for (size_t i = 0; i < len; i += 4096)
        p[i] = (unsigned char)(i / 4096 + 1);
    int ok = 1;
    for (size_t i = 0; i < len; i += 4096)
        if (p[i] != (unsigned char)(i / 4096 + 1))
            ok = 0;
    EXPECT_EQ("one byte a page written and read back", ok, 1);

    void *fixed = mmap(p + 4 * 4096, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    EXPECT_EQ("MAP_FIXED inside returns that address", fixed == p + 4 * 4096, 1);
    EXPECT_EQ("MAP_FIXED pages are fresh zeroes", p[4 * 4096] == 0 && p[5 * 4096] == 0, 1);
    EXPECT_EQ("neighbours untouched", p[3 * 4096] == 4 && p[6 * 4096] == 7, 1);

    EXPECT_OK("munmap middle 2 pages", munmap(p + 8 * 4096, 2 * 4096));
    EXPECT_OK("munmap whole range (with a hole)", munmap(p, len));

    long q = syscall(SYS_mmap2, 0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("raw mmap2", q > 0 || q < -4095, 1);
    if (q != -1) {
        unsigned char *m = (unsigned char *)q;
        m[3 * 4096 - 1] = 0x5a;
        EXPECT_EQ("raw mmap2 memory writable", m[3 * 4096 - 1], 0x5a);
        EXPECT_OK("munmap raw mmap2", munmap(m, 3 * 4096));
    }

    /* An odd length rounds up to whole pages. */
    unsigned char *odd = mmap(NULL, 5000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("mmap 5000 bytes", odd != MAP_FAILED, 1);
    if (odd != MAP_FAILED) {
        odd[8191] = 1;
        EXPECT_EQ("second page of a 5000-byte mapping usable", odd[8191], 1);
        EXPECT_OK("munmap 5000 bytes", munmap(odd, 5000));
    }

    EXPECT_ERR("mmap length 0", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    EXPECT_ERR("mmap MAP_FIXED unaligned", (long)mmap((void *)0x10000001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
    EXPECT_ERR("mmap neither private nor shared", (long)mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    EXPECT_ERR("mmap of fd 99 (not open)", (long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
    EXPECT_ERR("munmap unaligned", munmap((void *)0x10000001, 4096), EINVAL);
    EXPECT_ERR("munmap length 0", munmap((void *)0x10000000, 0), EINVAL);
    EXPECT_OK("munmap of nothing mapped", munmap((void *)0x30000000, 4096));
    return finish();
}
