/* brk: the program break: the raw brk syscall (brk(0) returns the current break; a
 * request below the initial break is refused by returning the unchanged break; growth
 * by pages is zero-filled and writable; shrinking and growing again gives zeroed
 * memory), and glibc's sbrk/brk wrappers on top. */
#include "check.h"
#include <stdint.h>
#include <sys/syscall.h>

int main(void) {
    uintptr_t start = (uintptr_t)syscall(SYS_brk, 0);
    EXPECT_EQ("brk(0) nonzero", start != 0, 1);
    EXPECT_EQ("brk(0) again unchanged", (uintptr_t)syscall(SYS_brk, 0) == start, 1);

    uintptr_t want = start + 3 * 4096 + 100;
    uintptr_t got = (uintptr_t)syscall(SYS_brk, want);
    EXPECT_EQ("brk(start + 3 pages + 100) == request", got == want, 1);
    unsigned char *p = (unsigned char *)start;
    int zero = 1;
    for (uintptr_t i = 0; i < want - start; i++)
        if (p[i])
            zero = 0;
    EXPECT_EQ("grown memory zero-filled", zero, 1);
    memset(p, 0xa5, want - start);
    EXPECT_EQ("grown memory writable", p[want - start - 1], 0xa5);

    got = (uintptr_t)syscall(SYS_brk, start);
    EXPECT_EQ("shrink back to start", got == start, 1);
    got = (uintptr_t)syscall(SYS_brk, start + 2 * 4096);
    EXPECT_EQ("grow again", got == start + 2 * 4096, 1);
    EXPECT_EQ("regrown page zeroed", p[100] == 0 && p[4096 + 5] == 0, 1);
    got = (uintptr_t)syscall(SYS_brk, start);
    EXPECT_EQ("shrink again", got == start, 1);

    got = (uintptr_t)syscall(SYS_brk, 4096);
    EXPECT_EQ("brk below the start refused (returns current)", got == start, 1);

    /* glibc's wrappers. */
    void *b0 = sbrk(0);
    EXPECT_EQ("sbrk(0) == brk(0)", (uintptr_t)b0 == start, 1);
    char *q = sbrk(8192);
    EXPECT_EQ("sbrk(8192) returns the old break", (void *)q == b0, 1);
    EXPECT_EQ("sbrk(0) after growth", (char *)sbrk(0) == q + 8192, 1);
    q[0] = 1;
    q[8191] = 2;
    EXPECT_EQ("sbrk memory usable", q[0] + q[8191], 3);
    EXPECT_OK("brk(old break)", brk(b0));
    EXPECT_EQ("sbrk(0) after brk", sbrk(0) == b0, 1);
    return finish();
}
