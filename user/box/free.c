/* free: memory and swap in KiB from /proc/meminfo (total, used, free, buff/cache,
 * available; used = total - free - buff/cache). */
#include "box.h"

static unsigned long field(const char *info, const char *name) {
    size_t len = strlen(name);
    for (const char *p = info; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, name, len) == 0 && p[len] == ':')
            return strtoul(p + len + 1, NULL, 10);
    return 0;
}

int free_main(int argc, char **argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: free\n");
        return 1;
    }
    static char info[16384];
    if (box_read_file("/proc/meminfo", info, sizeof info) <= 0) {
        warn("/proc/meminfo");
        return 1;
    }
    unsigned long total = field(info, "MemTotal"), mfree = field(info, "MemFree");
    unsigned long cache = field(info, "Buffers") + field(info, "Cached") + field(info, "SReclaimable");
    unsigned long avail = field(info, "MemAvailable");
    unsigned long used = total > mfree + cache ? total - mfree - cache : 0;
    unsigned long stotal = field(info, "SwapTotal"), sfree = field(info, "SwapFree");
    printf("%-6s %11s %11s %11s %11s %11s\n", "", "total", "used", "free", "buff/cache", "available");
    printf("%-6s %11lu %11lu %11lu %11lu %11lu\n", "Mem:", total, used, mfree, cache, avail);
    printf("%-6s %11lu %11lu %11lu\n", "Swap:", stotal, stotal - sfree, sfree);
    return fflush(stdout) == 0 ? 0 : 1;
}
