/* mprotect: changing protections of anonymous pages: write, make read-only and read the
 * data back, PROT_NONE then back to PROT_READ keeps the data, part of a range, the whole
 * range back to read-write, the program's own text; errors: unaligned address (EINVAL),
 * unknown bits (EINVAL). A write to a read-only page is in null_write's
 * family and is not done here. */
#include "check.h"
#include <sys/mman.h>

int main(void) {
    size_t len = 4 * 4096;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("mmap 4 pages", p != MAP_FAILED, 1);
    if (p == MAP_FAILED)
        return finish();
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(i * 3);
    EXPECT_OK("mprotect all PROT_READ", mprotect(p, len, PROT_READ));
    int ok = 1;
    for (size_t i = 0; i < len; i++)
        if (p[i] != (unsigned char)(i * 3))
            ok = 0;
    EXPECT_EQ("data readable after PROT_READ", ok, 1);
    EXPECT_OK("mprotect page 1 PROT_NONE", mprotect(p + 4096, 4096, PROT_NONE));
    EXPECT_EQ("page 0 still readable", p[10], 30);
    EXPECT_OK("mprotect page 1 PROT_READ", mprotect(p + 4096, 4096, PROT_READ));
    EXPECT_EQ("page 1 data kept through PROT_NONE", p[4096 + 1], (unsigned char)((4096 + 1) * 3));
    EXPECT_OK("mprotect all read-write", mprotect(p, len, PROT_READ | PROT_WRITE));
    p[len - 1] = 0x77;
    EXPECT_EQ("writable again", p[len - 1], 0x77);
    EXPECT_OK("mprotect odd length rounds up", mprotect(p, 5000, PROT_READ));
    EXPECT_OK("mprotect back", mprotect(p, len, PROT_READ | PROT_WRITE));

    EXPECT_ERR("mprotect unaligned", mprotect(p + 1, 4096, PROT_READ), EINVAL);
    EXPECT_ERR("mprotect unknown bits", mprotect(p, 4096, 0x100), EINVAL);
    /* Not compared: mprotect of unmapped pages (Linux: ENOMEM) and of length 0 (Linux:
     * 0), where qemu-m68k 7.2, the oracle, answers differently (0 and ENOMEM). */

    /* The program's own text is read-only and executable. */
    EXPECT_OK("mprotect own text page PROT_READ|PROT_EXEC", mprotect((void *)((unsigned long)&main & ~4095UL), 4096, PROT_READ | PROT_EXEC));
    return finish();
}
