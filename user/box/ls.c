/* ls [-l] [-a] [-1] [PATH...]: lists directories (their entries sorted by name; names
 * starting with '.' only with -a) and names files given as operands. One name a line,
 * unless standard output is a terminal and neither -l nor -1 is given (then as many as
 * fit in 80 columns). -l: mode, links, owner, group (names from /etc/passwd and
 * /etc/group, else numbers), size, modification time (UTC), name and a symlink's target
 * (no `total` line: block counts are the file system's, not the files').
 * Several operands: files first, then each directory after a `NAME:` line. */
#include "box.h"

static int opt_long, opt_all, opt_one, on_tty;

struct item {
    char *name; /* as shown */
    char *path; /* to stat and readlink */
    struct stat st;
};

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct item *)a)->name, ((const struct item *)b)->name);
}

/* A name for `id` from an /etc/passwd-style file (name:x:id:...), or its number. */
static void id_name(const char *file, unsigned id, char *out, size_t size) {
    snprintf(out, size, "%u", id);
    FILE *f = fopen(file, "re");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *name = strtok(line, ":");
        strtok(NULL, ":");
        char *number = strtok(NULL, ":");
        if (name && number && strtoul(number, NULL, 10) == id) {
            snprintf(out, size, "%s", name);
            break;
        }
    }
    fclose(f);
}

static void mode_string(mode_t m, char out[11]) {
    out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        out[1 + i] = (m & (1u << (8 - i))) ? rwx[i] : '-';
    if (m & S_ISUID)
        out[3] = (m & S_IXUSR) ? 's' : 'S';
    if (m & S_ISGID)
        out[6] = (m & S_IXGRP) ? 's' : 'S';
    if (m & S_ISVTX)
        out[9] = (m & S_IXOTH) ? 't' : 'T';
    out[10] = '\0';
}

static int digits(unsigned long long n) {
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static void show(struct item *items, size_t n) {
    if (!opt_long) {
        if (on_tty && !opt_one) {
            size_t column = 0;
            for (size_t i = 0; i < n; i++) {
                size_t len = strlen(items[i].name);
                if (column > 0 && column + 2 + len > 80) {
                    putchar('\n');
                    column = 0;
                }
                printf("%s%s", column ? "  " : "", items[i].name);
                column += (column ? 2 : 0) + len;
            }
            if (column)
                putchar('\n');
        } else {
            for (size_t i = 0; i < n; i++)
                printf("%s\n", items[i].name);
        }
        return;
    }
    char (*owner)[32] = calloc(n ? n : 1, sizeof *owner);
    char (*group)[32] = calloc(n ? n : 1, sizeof *group);
    if (!owner || !group) {
        free(owner);
        free(group);
        return;
    }
    int wl = 1, wu = 1, wg = 1, ws = 1;
    for (size_t i = 0; i < n; i++) {
        id_name("/etc/passwd", items[i].st.st_uid, owner[i], sizeof owner[i]);
        id_name("/etc/group", items[i].st.st_gid, group[i], sizeof group[i]);
        if (digits(items[i].st.st_nlink) > wl)
            wl = digits(items[i].st.st_nlink);
        if ((int)strlen(owner[i]) > wu)
            wu = (int)strlen(owner[i]);
        if ((int)strlen(group[i]) > wg)
            wg = (int)strlen(group[i]);
        if (digits((unsigned long long)items[i].st.st_size) > ws)
            ws = digits((unsigned long long)items[i].st.st_size);
    }
    time_t now = time(NULL);
    for (size_t i = 0; i < n; i++) {
        const struct stat *st = &items[i].st;
        char mode[11], when[32];
        mode_string(st->st_mode, mode);
        time_t t = st->st_mtime;
        struct tm tm;
        gmtime_r(&t, &tm);
        int recent = t <= now && now - t < 182 * 24 * 3600;
        strftime(when, sizeof when, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
        printf("%s %*lu %-*s %-*s %*llu %s %s", mode, wl, (unsigned long)st->st_nlink, wu, owner[i], wg, group[i], ws,
               (unsigned long long)st->st_size, when, items[i].name);
        if (S_ISLNK(st->st_mode)) {
            char target[PATH_MAX];
            ssize_t len = readlink(items[i].path, target, sizeof target - 1);
            if (len >= 0) {
                target[len] = '\0';
                printf(" -> %s", target);
            }
        }
        putchar('\n');
    }
    free(owner);
    free(group);
}

static void free_items(struct item *items, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(items[i].name);
        free(items[i].path);
    }
    free(items);
}

static int list_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        warn("cannot open directory '%s'", path);
        return 1;
    }
    struct item *items = NULL;
    size_t n = 0, room = 0;
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !opt_all)
            continue;
        if (n == room) {
            room = room ? room * 2 : 32;
            struct item *more = realloc(items, room * sizeof *items);
            if (!more)
                break;
            items = more;
        }
        struct item *it = &items[n];
        it->name = strdup(e->d_name);
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        it->path = malloc(len);
        if (!it->name || !it->path) {
            free(it->name);
            free(it->path);
            break;
        }
        snprintf(it->path, len, "%s/%s", path, e->d_name);
        memset(&it->st, 0, sizeof it->st);
        if (opt_long && lstat(it->path, &it->st) != 0) {
            warn("cannot access '%s'", it->path);
            status = 1;
            free(it->name);
            free(it->path);
            continue;
        }
        n++;
    }
    closedir(d);
    qsort(items, n, sizeof *items, by_name);
    show(items, n);
    free_items(items, n);
    return status;
}

int ls_main(int argc, char **argv) {
    int on[3] = {0};
    int i = box_options(argc, argv, "la1", on);
    if (i < 0)
        return 2;
    opt_long = on[0];
    opt_all = on[1];
    opt_one = on[2];
    on_tty = isatty(1);
    char *dot[] = {".", NULL};
    char **operands = i < argc ? argv + i : dot;
    int count = i < argc ? argc - i : 1;
    int status = 0;
    struct item *files = calloc((size_t)count, sizeof *files);
    char **dirs = calloc((size_t)count, sizeof *dirs);
    if (!files || !dirs)
        return 2;
    size_t nfiles = 0, ndirs = 0;
    for (int k = 0; k < count; k++) {
        struct stat st;
        /* Operands are followed unless -l shows a symlink itself. */
        int r = opt_long ? lstat(operands[k], &st) : stat(operands[k], &st);
        if (r != 0 && !opt_long && lstat(operands[k], &st) == 0)
            r = 0; /* a dangling symlink is still a name */
        if (r != 0) {
            warn("cannot access '%s'", operands[k]);
            status = 2;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            dirs[ndirs++] = operands[k];
        } else {
            files[nfiles].name = strdup(operands[k]);
            files[nfiles].path = strdup(operands[k]);
            files[nfiles].st = st;
            nfiles++;
        }
    }
    qsort(files, nfiles, sizeof *files, by_name);
    show(files, nfiles);
    free_items(files, nfiles);
    for (size_t k = 0; k < ndirs; k++) {
        if (count > 1) {
            if (k > 0 || nfiles > 0)
                putchar('\n');
            printf("%s:\n", dirs[k]);
        }
        if (list_dir(dirs[k]) && status == 0)
            status = 1;
    }
    free(dirs);
    if (fflush(stdout) != 0)
        return 2;
    return status;
}
