/* madvise: MADV_DONTNEED on anonymous private memory drops the pages (they read back
 * as zeroes and are usable again), MADV_WILLNEED/MADV_NORMAL/MADV_SEQUENTIAL succeed and
 * change nothing; errors: unaligned address (EINVAL). */
#include "check.h"
#include <sys/mman.h>

int main(void) {
    size_t len = 6 * 4096;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("mmap 6 pages", p != MAP_FAILED, 1);
    if (p == MAP_FAILED)
        return finish();
    memset(p, 0x3c, len);
    EXPECT_OK("MADV_WILLNEED", madvise(p, len, MADV_WILLNEED));
    EXPECT_OK("MADV_NORMAL", madvise(p, len, MADV_NORMAL));
    EXPECT_OK("MADV_SEQUENTIAL", madvise(p, len, MADV_SEQUENTIAL));
    EXPECT_EQ("data unchanged by hints", p[0] == 0x3c && p[len - 1] == 0x3c, 1);

    EXPECT_OK("MADV_DONTNEED pages 2-3", madvise(p + 2 * 4096, 2 * 4096, MADV_DONTNEED));
    int zero = 1, kept = 1;
    for (size_t i = 0; i < len; i++) {
        int in = i >= 2 * 4096 && i < 4 * 4096;
        if (in && p[i] != 0)
            zero = 0;
        if (!in && p[i] != 0x3c)
            kept = 0;
    }
    EXPECT_EQ("dropped pages read as zero", zero, 1);
    EXPECT_EQ("other pages kept", kept, 1);
    p[2 * 4096] = 5;
    EXPECT_EQ("dropped page usable again", p[2 * 4096], 5);

    EXPECT_ERR("madvise unaligned", madvise(p + 1, 4096, MADV_DONTNEED), EINVAL);
    /* Not compared: unknown advice (Linux: EINVAL) and a range with unmapped pages
     * (Linux: ENOMEM), which qemu-m68k 7.2, the oracle, accepts. */
    EXPECT_OK("madvise length 0", madvise(p, 0, MADV_DONTNEED));
    return finish();
}
