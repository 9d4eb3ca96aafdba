/* tls: thread-local storage (PT_TLS) on m68k: __thread variables with initial values
 * (.tdata) and zero ones (.tbss), their addresses are distinct and stable, writes stick,
 * errno is thread-local, and get_thread_area (the m68k thread pointer, syscall 333)
 * returns the same value each time (the TLS block lies just below it + 0x7000). */
#include "check.h"
#include <stdint.h>
#include <sys/syscall.h>

static __thread int initialised = 12345;
static __thread long long wide = 0x0123456789abcdefLL;
static __thread char text[32] = "thread-local text";
static __thread int zeroed;
static __thread int zero_array[100];

int main(void) {
    EXPECT_EQ("initialised", initialised, 12345);
    EXPECT_EQ("wide == 0x0123456789abcdef", wide == 0x0123456789abcdefLL, 1);
    EXPECT_STR("text", text, "thread-local text");
    EXPECT_EQ("zeroed", zeroed, 0);
    int sum = 0;
    for (int i = 0; i < 100; i++)
        sum |= zero_array[i];
    EXPECT_EQ("zero_array all zero", sum, 0);
    initialised += 1;
    zeroed = 7;
    zero_array[99] = 99;
    strcpy(text, "changed");
    EXPECT_EQ("initialised after +1", initialised, 12346);
    EXPECT_EQ("zeroed after store", zeroed, 7);
    EXPECT_EQ("zero_array[99]", zero_array[99], 99);
    EXPECT_STR("text after strcpy", text, "changed");
    EXPECT_EQ("addresses distinct", (void *)&initialised != (void *)&zeroed, 1);
    EXPECT_EQ("&zeroed stable", &zeroed == &zeroed, 1);

    long tp1 = syscall(SYS_get_thread_area);
    long tp2 = syscall(SYS_get_thread_area);
    EXPECT_EQ("get_thread_area nonzero", tp1 != 0, 1);
    EXPECT_EQ("get_thread_area stable", tp1 == tp2, 1);
    /* m68k TLS variant I: the thread pointer is 0x7000 past the TCB end; the variables
     * are within 64 KiB of it. */
    uintptr_t v = (uintptr_t)&initialised;
    EXPECT_EQ("variable near thread pointer", v + 0x10000 > (uintptr_t)tp1 && v < (uintptr_t)tp1 + 0x10000, 1);
    errno = 0;
    EXPECT_ERR("close(-1) sets TLS errno", close(-1), EBADF);
    EXPECT_EQ("errno readable afterwards", errno, EBADF);
    return finish();
}
