/* ps: every process in /proc, by pid: PID, state (R running, S sleeping, Z zombie, ...)
 * and command name, from /proc/PID/stat. */
#include "box.h"

static int by_number(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int ps_main(int argc, char **argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: ps\n");
        return 1;
    }
    DIR *d = opendir("/proc");
    if (!d) {
        warn("/proc");
        return 1;
    }
    long *pids = NULL;
    size_t n = 0, room = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        if (n == room) {
            room = room ? room * 2 : 64;
            long *more = realloc(pids, room * sizeof *pids);
            if (!more)
                break;
            pids = more;
        }
        pids[n++] = pid;
    }
    closedir(d);
    qsort(pids, n, sizeof *pids, by_number);
    printf("  PID S CMD\n");
    for (size_t i = 0; i < n; i++) {
        char path[64], stat[1024];
        snprintf(path, sizeof path, "/proc/%ld/stat", pids[i]);
        if (box_read_file(path, stat, sizeof stat) <= 0)
            continue; /* it ended meanwhile */
        /* "PID (COMM) S ...": COMM may hold spaces and parentheses; it ends at the last ')'. */
        char *open = strchr(stat, '('), *close = strrchr(stat, ')');
        if (!open || !close || close < open || close[1] != ' ' || !close[2])
            continue;
        *close = '\0';
        printf("%5ld %c %s\n", pids[i], close[2], open + 1);
    }
    free(pids);
    return fflush(stdout) == 0 ? 0 : 1;
}
