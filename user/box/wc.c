/* wc [-l] [-w] [-c] [FILE...]: lines, words and bytes of each file (standard input for
 * none or `-`), the counts asked for (all three when none is) in that order, separated by
 * single spaces, then the name; a `total` line when there is more than one file. */
#include "box.h"

static int lines, words, bytes;

static void print(const unsigned long c[3], const char *name) {
    const int want[3] = {lines, words, bytes};
    int first = 1;
    for (int k = 0; k < 3; k++) {
        if (!want[k])
            continue;
        printf(first ? "%lu" : " %lu", c[k]);
        first = 0;
    }
    if (name)
        printf(" %s", name);
    putchar('\n');
}

static int count(int fd, unsigned long c[3]) {
    char buf[8192];
    int in_word = 0;
    for (;;) {
        ssize_t n = box_read(fd, buf, sizeof buf);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch == '\n')
                c[0]++;
            if (isspace(ch)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                c[1]++;
            }
        }
        c[2] += (unsigned long)n;
    }
}

int wc_main(int argc, char **argv) {
    int status = 0, on[3] = {0};
    int i = box_options(argc, argv, "lwc", on);
    if (i < 0)
        return 1;
    lines = on[0];
    words = on[1];
    bytes = on[2];
    if (!lines && !words && !bytes)
        lines = words = bytes = 1;
    unsigned long total[3] = {0, 0, 0};
    if (i >= argc) {
        unsigned long c[3] = {0, 0, 0};
        if (count(0, c) < 0) {
            warn("standard input");
            return 1;
        }
        print(c, NULL);
        return 0;
    }
    int files = argc - i;
    for (; i < argc; i++) {
        unsigned long c[3] = {0, 0, 0};
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0 || count(fd, c) < 0) {
            warn("%s", argv[i]);
            status = 1;
            if (fd > 0)
                close(fd);
            continue;
        }
        if (fd > 0)
            close(fd);
        print(c, argv[i]);
        for (int k = 0; k < 3; k++)
            total[k] += c[k];
    }
    if (files > 1)
        print(total, "total");
    return status;
}
