/* mv SOURCE TARGET, mv SOURCE... DIRECTORY: renames (into DIRECTORY under the source's own
 * name when the target is a directory). */
#include "box.h"

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int move(const char *from, const char *to) {
    if (rename(from, to) != 0) {
        warn("cannot move '%s' to '%s'", from, to);
        return 1;
    }
    return 0;
}

int mv_main(int argc, char **argv) {
    int i = 1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    int n = argc - i;
    if (n < 2) {
        fprintf(stderr, "usage: mv SOURCE TARGET | mv SOURCE... DIRECTORY\n");
        return 1;
    }
    const char *target = argv[argc - 1];
    if (!is_dir(target)) {
        if (n > 2) {
            warnx("target '%s' is not a directory", target);
            return 1;
        }
        return move(argv[i], target);
    }
    int status = 0;
    for (; i < argc - 1; i++) {
        char *copy = strdup(argv[i]);
        if (!copy)
            return 1;
        size_t len = strlen(copy);
        while (len > 1 && copy[len - 1] == '/')
            copy[--len] = '\0';
        const char *slash = strrchr(copy, '/');
        const char *name = slash ? slash + 1 : copy;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", target, name) >= (int)sizeof path) {
            warnx("%s/%s: name too long", target, name);
            status = 1;
        } else {
            status |= move(argv[i], path);
        }
        free(copy);
    }
    return status;
}
