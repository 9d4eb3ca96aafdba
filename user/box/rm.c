/* rm [-r] [-f] PATH...: removes files (and with -r directories and what they hold);
 * -f: quiet about missing paths and the status stays 0 for them. */
#include "box.h"

static int force, recursive;

static int remove_path(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (force && errno == ENOENT)
            return 0;
        warn("cannot remove '%s'", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0) {
            warn("cannot remove '%s'", path);
            return 1;
        }
        return 0;
    }
    if (!recursive) {
        warnx("cannot remove '%s': Is a directory", path);
        return 1;
    }
    int status = 0;
    DIR *d = opendir(path);
    if (!d) {
        warn("cannot remove '%s'", path);
        return 1;
    }
    /* The names first: removing while reading would disturb the directory's stream. */
    char **names = NULL;
    size_t count = 0, room = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (count == room) {
            room = room ? room * 2 : 16;
            char **more = realloc(names, room * sizeof *names);
            if (!more)
                break;
            names = more;
        }
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < count; i++) {
        if (!names[i]) {
            status = 1;
            continue;
        }
        char child[PATH_MAX];
        if (snprintf(child, sizeof child, "%s/%s", path, names[i]) >= (int)sizeof child) {
            warnx("%s/%s: name too long", path, names[i]);
            status = 1;
        } else {
            status |= remove_path(child);
        }
        free(names[i]);
    }
    free(names);
    if (rmdir(path) != 0) {
        warn("cannot remove '%s'", path);
        return 1;
    }
    return status;
}

int rm_main(int argc, char **argv) {
    int status = 0, on[3] = {0};
    int i = box_options(argc, argv, "frR", on);
    if (i < 0)
        return 1;
    force = on[0];
    recursive = on[1] || on[2];
    if (i >= argc && !force) {
        fprintf(stderr, "usage: rm [-r] [-f] PATH...\n");
        return 1;
    }
    for (; i < argc; i++)
        status |= remove_path(argv[i]);
    return status;
}
