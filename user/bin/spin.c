/* /bin/spin: a compute-bound program (issue 18 item 7's test): spins without a system
 * call, for ever or for SECONDS of its own processor time. Started in the background at
 * the shell it is what the emulator's scheduling thread degrades to a low priority while
 * the shell stays responsive (`ps -l` shows both priorities). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc > 2 || (argc == 2 && atof(argv[1]) <= 0)) {
        fprintf(stderr, "usage: spin [SECONDS]\n");
        return 2;
    }
    const double limit = argc == 2 ? atof(argv[1]) : 0;
    volatile unsigned long counter = 0;
    for (;;) {
        /* A million rounds between looks at the clock: the loop is all computation. */
        for (unsigned long i = 0; i < 1000000; i++)
            counter++;
        if (limit > 0 && cpu_seconds() >= limit)
            break;
    }
    printf("spin: %g s of processor time\n", limit);
    return 0;
}
