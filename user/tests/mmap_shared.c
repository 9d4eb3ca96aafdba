/* mmap_shared: anonymous shared mappings (MAP_SHARED | MAP_ANONYMOUS): zero-filled,
 * writable, two shared mappings are independent, mprotect and munmap work on them, and a
 * shared mapping keeps its contents through mremap growth. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

int main(void) {
    size_t len = 8 * 4096;
    unsigned char *s = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("mmap shared anonymous 8 pages", s != MAP_FAILED, 1);
    if (s == MAP_FAILED)
        return finish();
    int zero = 1;
    for (size_t i = 0; i < len; i++)
        if (s[i])
            zero = 0;
    EXPECT_EQ("zero-filled", zero, 1);
    for (size_t i = 0; i < len; i++)
        s[i] = (unsigned char)(i % 251);
    int ok = 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] != (unsigned char)(i % 251))
            ok = 0;
    EXPECT_EQ("pattern read back", ok, 1);

    unsigned char *t = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ("a second shared mapping", t != MAP_FAILED && t != s, 1);
    if (t != MAP_FAILED) {
        EXPECT_EQ("second mapping independent (zero)", t[0] == 0 && t[len - 1] == 0, 1);
        t[0] = 0xee;
        EXPECT_EQ("first mapping unchanged", s[0], 0);
        EXPECT_OK("munmap second", munmap(t, len));
    }

    EXPECT_OK("mprotect shared read-only", mprotect(s, len, PROT_READ));
    EXPECT_EQ("still readable", s[300], 300 % 251);
    EXPECT_OK("mprotect shared read-write", mprotect(s, len, PROT_READ | PROT_WRITE));
    s[300] = 1;
    EXPECT_EQ("writable again", s[300], 1);

    unsigned char *g = mremap(s, len, 2 * len, MREMAP_MAYMOVE);
    EXPECT_EQ("mremap shared 8 -> 16 pages", g != MAP_FAILED, 1);
    if (g != MAP_FAILED) {
        EXPECT_EQ("contents kept", g[300] == 1 && g[len - 1] == (unsigned char)((len - 1) % 251), 1);
        /* The tail past the shared object's size is not touched: Linux raises SIGBUS
         * there (the anonymous shared object keeps its size). */
        EXPECT_OK("munmap", munmap(g, 2 * len));
    }
    return finish();
}
