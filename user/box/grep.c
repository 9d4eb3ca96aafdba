/* grep [-v] [-c] [-n] [-i] PATTERN [FILE...]: the lines of each file (standard input for
 * none or `-`) that match PATTERN, a simple regular expression: `^` and `$` anchor,
 * `.` is any character, `*` repeats what precedes it, `[abc]`, `[a-z]` and `[^...]` are
 * character classes, `\` makes the next character literal; anything else stands for
 * itself (so a fixed string is a pattern). -v: the lines that do not match; -c: only
 * their count; -n: each line with its number; -i: case ignored. With several files each
 * line or count is prefixed by the file's name and a colon. Status: 0 when a line was
 * selected, 1 when none was, 2 on an error. */
#include "box.h"

static int invert, count_only, numbers, ignore_case;

/* One pattern element: a literal, any character or a class; with or without a star. */
struct atom {
    int kind; /* 0 literal, 1 any, 2 class */
    int star;
    unsigned char ch;
    unsigned char set[256];
};

static struct atom *atoms;
static size_t natoms;
static int anchored_start, anchored_end;

static unsigned char fold(unsigned char c) {
    return ignore_case ? (unsigned char)tolower(c) : c;
}

static int compile(const char *p) {
    size_t len = strlen(p);
    atoms = calloc(len + 1, sizeof *atoms);
    if (!atoms)
        return -1;
    if (*p == '^') {
        anchored_start = 1;
        p++;
    }
    while (*p) {
        if (p[0] == '$' && p[1] == '\0') {
            anchored_end = 1;
            break;
        }
        struct atom *a = &atoms[natoms];
        if (*p == '*' && natoms > 0 && !atoms[natoms - 1].star) {
            atoms[natoms - 1].star = 1;
            p++;
            continue;
        }
        if (*p == '.') {
            a->kind = 1;
            p++;
        } else if (*p == '[') {
            const char *q = p + 1;
            int negate = 0;
            if (*q == '^') {
                negate = 1;
                q++;
            }
            unsigned char set[256] = {0};
            int first = 1;
            while (*q && (first || *q != ']')) {
                unsigned char lo = (unsigned char)*q, hi = lo;
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    hi = (unsigned char)q[2];
                    q += 3;
                } else {
                    q++;
                }
                for (unsigned c = lo; c <= hi; c++)
                    set[fold((unsigned char)c)] = 1;
                first = 0;
            }
            if (*q != ']') {
                errno = EINVAL;
                return -1;
            }
            for (int c = 0; c < 256; c++)
                a->set[c] = (unsigned char)(set[c] ^ negate);
            a->kind = 2;
            p = q + 1;
        } else {
            if (*p == '\\' && p[1])
                p++;
            a->kind = 0;
            a->ch = fold((unsigned char)*p);
            p++;
        }
        natoms++;
    }
    return 0;
}

static int atom_matches(const struct atom *a, unsigned char c) {
    c = fold(c);
    return a->kind == 1 || (a->kind == 0 && a->ch == c) || (a->kind == 2 && a->set[c]);
}

/* Does the pattern from atom `k` on match at `s` (the rest of the line, length n)? */
static int match_here(size_t k, const char *s, size_t n) {
    if (k == natoms)
        return !anchored_end || n == 0;
    const struct atom *a = &atoms[k];
    if (a->star) {
        size_t run = 0;
        while (run < n && atom_matches(a, (unsigned char)s[run]))
            run++;
        for (;;) { /* longest first */
            if (match_here(k + 1, s + run, n - run))
                return 1;
            if (run == 0)
                return 0;
            run--;
        }
    }
    return n > 0 && atom_matches(a, (unsigned char)*s) && match_here(k + 1, s + 1, n - 1);
}

static int matches(const char *line, size_t n) {
    if (anchored_start)
        return match_here(0, line, n);
    for (size_t i = 0;; i++) {
        if (match_here(0, line + i, n - i))
            return 1;
        if (i == n)
            return 0;
    }
}

/* Greps one stream: the number of selected lines, or -1 on a read error. */
static long grep_file(FILE *f, const char *name) {
    char *line = NULL;
    size_t room = 0;
    ssize_t len;
    long selected = 0, number = 0;
    while ((len = getline(&line, &room, f)) >= 0) {
        number++;
        size_t n = (size_t)len;
        if (n > 0 && line[n - 1] == '\n')
            n--;
        if (matches(line, n) == invert)
            continue;
        selected++;
        if (count_only)
            continue;
        if (name)
            printf("%s:", name);
        if (numbers)
            printf("%ld:", number);
        fwrite(line, 1, n, stdout);
        putchar('\n');
    }
    int failed = ferror(f);
    free(line);
    if (count_only) {
        if (name)
            printf("%s:", name);
        printf("%ld\n", selected);
    }
    return failed ? -1 : selected;
}

int grep_main(int argc, char **argv) {
    int on[4] = {0};
    int i = box_options(argc, argv, "vcni", on);
    if (i < 0)
        return 2;
    invert = on[0];
    count_only = on[1];
    numbers = on[2];
    ignore_case = on[3];
    if (i >= argc) {
        fprintf(stderr, "usage: grep [-v] [-c] [-n] [-i] PATTERN [FILE...]\n");
        return 2;
    }
    if (compile(argv[i++]) != 0) {
        warnx("bad pattern '%s'", argv[i - 1]);
        return 2;
    }
    int error = 0;
    long selected = 0;
    int files = argc - i;
    if (files == 0) {
        long r = grep_file(stdin, NULL);
        if (r < 0)
            error = 1;
        else
            selected += r;
    }
    for (; i < argc; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "re");
        if (!f) {
            warn("%s", argv[i]);
            error = 1;
            continue;
        }
        long r = grep_file(f, files > 1 ? argv[i] : NULL);
        if (r < 0) {
            warn("%s", argv[i]);
            error = 1;
        } else {
            selected += r;
        }
        if (f != stdin)
            fclose(f);
    }
    if (fflush(stdout) != 0)
        error = 1;
    return error ? 2 : selected ? 0 : 1;
}
