/* malloc: glibc's allocator over brk and mmap: many small blocks (brk heap), large
 * blocks over the mmap threshold (mmap2/munmap), calloc zeroes, realloc keeps contents
 * when growing across the threshold, free and reuse; every byte is checked. */
#include "check.h"
#include <stdint.h>

static int pattern_ok(const unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7))
            return 0;
    return 1;
}

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

int main(void) {
    enum { SMALL = 500 };
    unsigned char *small[SMALL];
    int ok = 1;
    for (int i = 0; i < SMALL; i++) {
        size_t n = 1 + (size_t)(i * 37) % 300;
        small[i] = malloc(n);
        if (!small[i]) {
            ok = 0;
            break;
        }
        fill(small[i], n, (unsigned)i);
    }
    EXPECT_EQ("500 small blocks allocated", ok, 1);
    ok = 1;
    for (int i = 0; i < SMALL; i++)
        if (!small[i] || !pattern_ok(small[i], 1 + (size_t)(i * 37) % 300, (unsigned)i))
            ok = 0;
    EXPECT_EQ("small blocks intact", ok, 1);
    for (int i = 0; i < SMALL; i += 2)
        free(small[i]);
    ok = 1;
    for (int i = 1; i < SMALL; i += 2)
        if (!pattern_ok(small[i], 1 + (size_t)(i * 37) % 300, (unsigned)i))
            ok = 0;
    EXPECT_EQ("odd blocks intact after freeing even ones", ok, 1);
    for (int i = 1; i < SMALL; i += 2)
        free(small[i]);

    size_t big = 4u << 20; /* 4 MiB: far over the 128 KiB mmap threshold */
    unsigned char *b = malloc(big);
    EXPECT_EQ("4 MiB block allocated", b != NULL, 1);
    EXPECT_EQ("4 MiB block page-offset 8 (mmapped chunk)", b && ((uintptr_t)b & 4095) == 8, 1);
    if (b) {
        fill(b, big, 3);
        EXPECT_EQ("4 MiB block intact", pattern_ok(b, big, 3), 1);
        free(b);
    }

    unsigned char *z = calloc(300000, 1);
    EXPECT_EQ("calloc(300000)", z != NULL, 1);
    int zero = 1;
    for (size_t i = 0; z && i < 300000; i++)
        if (z[i])
            zero = 0;
    EXPECT_EQ("calloc memory zero", zero, 1);
    free(z);

    unsigned char *r = malloc(1000);
    CHECK(r != NULL);
    fill(r, 1000, 9);
    r = realloc(r, 200000);
    EXPECT_EQ("realloc 1000 -> 200000", r != NULL, 1);
    EXPECT_EQ("realloc kept the first 1000 bytes", r && pattern_ok(r, 1000, 9), 1);
    if (r) {
        fill(r, 200000, 11);
        r = realloc(r, 600000);
        EXPECT_EQ("realloc 200000 -> 600000 (mremap)", r != NULL, 1);
        EXPECT_EQ("realloc kept 200000 bytes", r && pattern_ok(r, 200000, 11), 1);
        r = realloc(r, 50);
        EXPECT_EQ("realloc shrink to 50 kept them", r && pattern_ok(r, 50, 11), 1);
        free(r);
    }

    /* Many medium blocks, freed in reverse: the heap trims itself. */
    void *mid[64];
    for (int i = 0; i < 64; i++) {
        mid[i] = malloc(16384);
        CHECK(mid[i] != NULL);
        if (mid[i])
            memset(mid[i], i, 16384);
    }
    ok = 1;
    for (int i = 63; i >= 0; i--) {
        if (mid[i] && ((unsigned char *)mid[i])[16383] != i)
            ok = 0;
        free(mid[i]);
    }
    EXPECT_EQ("64 x 16 KiB blocks intact", ok, 1);
    errno = 0;
    volatile size_t three_gib = (size_t)3 << 30;
    void *huge = malloc(three_gib);
    EXPECT_EQ("malloc(3 GiB) fails", huge == NULL, 1);
    EXPECT_EQ("errno ENOMEM", errno == ENOMEM, 1);
    return finish();
}
