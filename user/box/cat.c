/* cat [FILE...]: copies each file (standard input for none or `-`) to standard output. */
#include "box.h"

static int copy(int fd) {
    char buf[8192];
    for (;;) {
        ssize_t n = box_read(fd, buf, sizeof buf);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        if (box_write_all(1, buf, (size_t)n) < 0)
            return -2;
    }
}

int cat_main(int argc, char **argv) {
    int status = 0;
    if (argc < 2) {
        int r = copy(0);
        if (r == -1)
            warn("standard input");
        if (r == -2)
            warn("write error");
        return r ? 1 : 0;
    }
    for (int i = 1; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            warn("%s", argv[i]);
            status = 1;
            continue;
        }
        int r = copy(fd);
        if (r == -1) {
            warn("%s", argv[i]);
            status = 1;
        }
        if (fd != 0)
            close(fd);
        if (r == -2) {
            warn("write error");
            return 1;
        }
    }
    return status;
}
