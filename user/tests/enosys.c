/* enosys: system calls the kernel does not have: numbers 9999, 500 and -1 through
 * syscall() return ENOSYS, twice, and the program carries on (getpid still works). */
#include "check.h"
#include <sys/syscall.h>

int main(void) {
    EXPECT_ERR("syscall 9999", syscall(9999), ENOSYS);
    EXPECT_ERR("syscall 9999 again", syscall(9999, 1, 2, 3, 4, 5, 6), ENOSYS);
    EXPECT_ERR("syscall 500", syscall(500), ENOSYS);
    EXPECT_ERR("syscall -1", syscall(-1), ENOSYS);
    EXPECT_EQ("getpid still works", getpid() > 0, 1);
    printf("enosys: alive after unknown system calls\n");
    return finish();
}
