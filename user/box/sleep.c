/* sleep SECONDS...: sleeps for the sum of the arguments (fractions allowed: `sleep 0.25`). */
#include "box.h"

int sleep_main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: sleep SECONDS...\n");
        return 1;
    }
    double total = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        errno = 0;
        double s = strtod(argv[i], &end);
        if (end == argv[i] || *end != '\0' || errno || s < 0 || s != s) {
            warnx("invalid time interval '%s'", argv[i]);
            return 1;
        }
        total += s;
    }
    struct timespec left = {.tv_sec = (time_t)total, .tv_nsec = (long)((total - (double)(time_t)total) * 1e9)};
    while (nanosleep(&left, &left) != 0)
        if (errno != EINTR)
            return 1;
    return 0;
}
