/* ps [-l]: every process in /proc, by pid: PID, state (R running, S sleeping, Z zombie,
 * ...) and command name, from /proc/PID/stat; -l adds the priority and nice fields
 * (PRI: Linux's 20 + nice, in the UNIX emulator one more for each level its scheduling
 * thread has degraded the process). */
#include "box.h"

static int by_number(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The priority and nice fields (18 and 19) of a stat line, `state` pointing at its
 * third field: 0 when they are not there. */
static int priority_fields(const char *state, long *priority, long *nice) {
    const char *f = state;
    for (int field = 3; field < 18; field++) {
        f = strchr(f, ' ');
        if (!f)
            return 0;
        f++;
    }
    return sscanf(f, "%ld %ld", priority, nice) == 2;
}

int ps_main(int argc, char **argv) {
    int longer = argc == 2 && strcmp(argv[1], "-l") == 0;
    if (argc > 2 || (argc == 2 && !longer)) {
        fprintf(stderr, "usage: ps [-l]\n");
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
    printf(longer ? "  PID PRI  NI S CMD\n" : "  PID S CMD\n");
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
        long priority, nice;
        if (!longer)
            printf("%5ld %c %s\n", pids[i], close[2], open + 1);
        else if (priority_fields(close + 2, &priority, &nice))
            printf("%5ld %3ld %3ld %c %s\n", pids[i], priority, nice, close[2], open + 1);
    }
    free(pids);
    return fflush(stdout) == 0 ? 0 : 1;
}
