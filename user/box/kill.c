/* kill [-SIGNAL | -N | -s SIGNAL] [--] PID...: sends a signal (TERM unless one is named;
 * names with or without SIG, any case) to each process (a negative PID: a process group);
 * kill -l lists the signal names. */
#include "box.h"

int kill_main(int argc, char **argv) {
    int sig = SIGTERM, i = 1;
    if (i < argc && strcmp(argv[i], "-l") == 0) {
        for (int s = 1; s < NSIG; s++)
            if (box_signal_name(s))
                printf("%d) SIG%s\n", s, box_signal_name(s));
        return 0;
    }
    if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
        sig = box_signal_number(argv[i + 1]);
        if (sig < 0) {
            warnx("unknown signal '%s'", argv[i + 1]);
            return 1;
        }
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
        sig = box_signal_number(argv[i] + 1);
        if (sig < 0) {
            warnx("unknown signal '%s'", argv[i] + 1);
            return 1;
        }
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID...\n");
        return 1;
    }
    int status = 0;
    for (; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (end == argv[i] || *end != '\0') {
            warnx("'%s': not a process id", argv[i]);
            status = 1;
            continue;
        }
        if (kill((pid_t)pid, sig) != 0) {
            warn("(%ld)", pid);
            status = 1;
        }
    }
    return status;
}
