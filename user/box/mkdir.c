/* mkdir [-p] DIR...: makes directories (mode 0777 less the umask); -p makes missing parents
 * and is quiet about directories that exist. */
#include "box.h"

static int make_parents(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int r = mkdir(path, 0777);
        int saved = errno;
        struct stat st;
        *p = '/';
        if (r != 0 && saved != EEXIST)
            return errno = saved, -1;
        if (r != 0 && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
            *p = '\0';
            int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
            *p = '/';
            if (!is_dir)
                return errno = ENOTDIR, -1;
        }
    }
    if (mkdir(path, 0777) != 0) {
        struct stat st;
        if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        return -1;
    }
    return 0;
}

int mkdir_main(int argc, char **argv) {
    int status = 0, on[1] = {0};
    int i = box_options(argc, argv, "p", on);
    if (i < 0)
        return 1;
    const int parents = on[0];
    if (i >= argc) {
        fprintf(stderr, "usage: mkdir [-p] DIR...\n");
        return 1;
    }
    for (; i < argc; i++) {
        int r;
        if (parents) {
            char *copy = strdup(argv[i]);
            r = copy ? make_parents(copy) : -1;
            free(copy);
        } else {
            r = mkdir(argv[i], 0777);
        }
        if (r != 0) {
            warn("cannot create directory '%s'", argv[i]);
            status = 1;
        }
    }
    return status;
}
