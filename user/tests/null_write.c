/* null_write: a write through a null pointer kills the process with SIGSEGV (expected
 * status "signal 11"); the line before it is flushed first, the one after never appears. */
/* oracle-status: signal 11 */
#include <stdio.h>

int main(void) {
    printf("null_write: about to write through a null pointer\n");
    fflush(stdout);
    volatile int *volatile p = (int *)0;
    *p = 1;
    printf("null_write: FAIL: still alive after the write\n");
    return 1;
}
