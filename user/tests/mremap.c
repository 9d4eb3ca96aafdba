/* mremap: growing with MREMAP_MAYMOVE when a mapping blocks the pages after (the data
 * moves, the tail is zero), shrinking in place, MREMAP_FIXED to a chosen address;
 * errors: unaligned address, FIXED without MAYMOVE (EINVAL).
 * Growth in place and growth refused without MAYMOVE are not compared: qemu-m68k 7.2,
 * the oracle, does not keep Linux's placement there. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

static void fill(unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i % 253);
}

static int same(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i % 253))
            return 0;
    return 1;
}

int main(void) {
    unsigned char *area = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("mmap 5 pages", area != MAP_FAILED, 1);
    if (area == MAP_FAILED)
        return finish();
    /* The fifth page becomes a read-only blocker right after the first four. */
    EXPECT_OK("mprotect page 5 PROT_READ", mprotect(area + 4 * 4096, 4096, PROT_READ));
    fill(area, 4 * 4096);
    unsigned char *moved = mremap(area, 4 * 4096, 16 * 4096, MREMAP_MAYMOVE);
    EXPECT_EQ("grow 4 -> 16 pages with MAYMOVE", moved != MAP_FAILED, 1);
    if (moved == MAP_FAILED)
        return finish();
    EXPECT_EQ("it moved", moved != area, 1);
    EXPECT_EQ("data moved with it", same(moved, 4 * 4096), 1);
    int zero = 1;
    for (size_t i = 4 * 4096; i < 16 * 4096; i++)
        if (moved[i])
            zero = 0;
    EXPECT_EQ("grown tail zero", zero, 1);
    moved[16 * 4096 - 1] = 1;
    EXPECT_EQ("blocker still there", area[4 * 4096], 0);

    unsigned char *s = mremap(moved, 16 * 4096, 3 * 4096, 0);
    EXPECT_EQ("shrink 16 -> 3 pages in place", s == moved, 1);
    EXPECT_EQ("data kept after shrink", same(s, 3 * 4096), 1);

    unsigned char *target = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *f = mremap(s, 3 * 4096, 3 * 4096, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    EXPECT_EQ("MREMAP_FIXED onto a chosen address", f == target, 1);
    EXPECT_EQ("data at the new place", same(target, 3 * 4096), 1);

    EXPECT_ERR("mremap unaligned", (long)mremap(target + 1, 4096, 8192, MREMAP_MAYMOVE), EINVAL);
    EXPECT_ERR("MREMAP_FIXED without MAYMOVE", (long)mremap(target, 4096, 4096, MREMAP_FIXED, area), EINVAL);
    /* Not compared: unknown flags and new size 0 (Linux: EINVAL; qemu-m68k: ENOMEM). */
    EXPECT_OK("munmap", munmap(target, 3 * 4096));
    return finish();
}
