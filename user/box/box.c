/* box: the multi-call binary (issue 18 item 8). Runs the utility named by basename(argv[0])
 * (/bin/ls is a symlink to /bin/box), or by argv[1] when called as `box NAME ARGS...`;
 * `box` alone lists the utilities. Also the helpers the utilities share. */
#include "box.h"

struct applet {
    const char *name;
    int (*main)(int, char **);
};

static const struct applet applets[] = {
#define X(name) {#name, name##_main},
    BOX_APPLETS
#undef X
};

static const struct applet *find(const char *name) {
    for (size_t i = 0; i < sizeof applets / sizeof applets[0]; i++)
        if (strcmp(applets[i].name, name) == 0)
            return &applets[i];
    return NULL;
}

static const char *base(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int main(int argc, char **argv) {
    const char *name = argc > 0 ? base(argv[0]) : "box";
    /* A login shell's argv[0] starts with '-'. */
    if (name[0] == '-')
        name++;
    const struct applet *a = find(name);
    if (!a && strcmp(name, "box") == 0 && argc > 1) {
        argv++;
        argc--;
        a = find(base(argv[0]));
    }
    if (!a) {
        fprintf(stderr, "box: unknown utility '%s'; box holds:", name);
        for (size_t i = 0; i < sizeof applets / sizeof applets[0]; i++)
            fprintf(stderr, " %s", applets[i].name);
        fprintf(stderr, "\n");
        return 127;
    }
    program_invocation_short_name = (char *)a->name; /* for warn()/err() */
    return a->main(argc, argv);
}

static const char *const signal_names[] = {
    [SIGHUP] = "HUP",     [SIGINT] = "INT",       [SIGQUIT] = "QUIT",   [SIGILL] = "ILL",
    [SIGTRAP] = "TRAP",   [SIGABRT] = "ABRT",     [SIGBUS] = "BUS",     [SIGFPE] = "FPE",
    [SIGKILL] = "KILL",   [SIGUSR1] = "USR1",     [SIGSEGV] = "SEGV",   [SIGUSR2] = "USR2",
    [SIGPIPE] = "PIPE",   [SIGALRM] = "ALRM",     [SIGTERM] = "TERM",   [SIGSTKFLT] = "STKFLT",
    [SIGCHLD] = "CHLD",   [SIGCONT] = "CONT",     [SIGSTOP] = "STOP",   [SIGTSTP] = "TSTP",
    [SIGTTIN] = "TTIN",   [SIGTTOU] = "TTOU",     [SIGURG] = "URG",     [SIGXCPU] = "XCPU",
    [SIGXFSZ] = "XFSZ",   [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",   [SIGWINCH] = "WINCH",
    [SIGIO] = "IO",       [SIGPWR] = "PWR",       [SIGSYS] = "SYS",
};

const char *box_signal_name(int sig) {
    if (sig <= 0 || sig >= (int)(sizeof signal_names / sizeof signal_names[0]))
        return NULL;
    return signal_names[sig];
}

int box_signal_number(const char *name) {
    if (isdigit((unsigned char)name[0])) {
        char *end;
        long n = strtol(name, &end, 10);
        return *end == '\0' && n >= 0 && n < NSIG ? (int)n : -1;
    }
    if (strncasecmp(name, "SIG", 3) == 0)
        name += 3;
    for (int sig = 1; sig < (int)(sizeof signal_names / sizeof signal_names[0]); sig++)
        if (signal_names[sig] && strcasecmp(signal_names[sig], name) == 0)
            return sig;
    return -1;
}

int box_write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

long box_read_file(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t have = 0;
    while (have + 1 < size) {
        ssize_t n = box_read(fd, buf + have, size - 1 - have);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    close(fd);
    buf[have] = '\0';
    return (long)have;
}

int box_options(int argc, char **argv, const char *letters, int *on) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        for (const char *o = argv[i] + 1; *o; o++) {
            const char *at = strchr(letters, *o);
            if (at == NULL) {
                warnx("unknown option -%c", *o);
                return -1;
            }
            on[at - letters] = 1;
        }
    }
    return i;
}

ssize_t box_read(int fd, void *buf, size_t len) {
    for (;;) {
        ssize_t n = read(fd, buf, len);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}
