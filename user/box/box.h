/* box.h: the multi-call binary's shared declarations (issue 18 item 8).
 *
 * One static binary, /bin/box, holds every utility; /bin/NAME is a symlink to it and
 * box.c dispatches on basename(argv[0]) (or on argv[1] when called as `box NAME ...`).
 * Each utility lives in user/box/NAME.c and defines `int NAME_main(int argc, char **argv)`;
 * BOX_APPLETS lists them (xtask checks that the list, the files and the links agree). */
#ifndef BOX_H
#define BOX_H

#define _GNU_SOURCE 1
#define _FILE_OFFSET_BITS 64 /* readdir64/stat64: qemu-m68k on a 64-bit host needs them */

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Every utility, in name order: X(NAME) for NAME_main. */
#define BOX_APPLETS \
    X(cat)          \
    X(echo)         \
    X(false)        \
    X(free)         \
    X(grep)         \
    X(kill)         \
    X(ls)           \
    X(mkdir)        \
    X(mv)           \
    X(ps)           \
    X(rm)           \
    X(sh)           \
    X(sleep)        \
    X(true)         \
    X(wc)

#define X(name) int name##_main(int argc, char **argv);
BOX_APPLETS
#undef X

/* Shared helpers (box.c). */

/* The number of a signal name (`KILL`, `SIGKILL`, `9`), or -1. */
int box_signal_number(const char *name);
/* The name of signal `sig` without "SIG" (`KILL`), or NULL. */
const char *box_signal_name(int sig);
/* Parses the leading options of argv ("-la" or "-l -a"; "--" ends them, "-" alone is an
 * operand): for the letter letters[k] it sets on[k] = 1. Returns the index of the first
 * operand, or -1 after warning "unknown option -X". */
int box_options(int argc, char **argv, const char *letters, int *on);
/* read(2), again after EINTR. */
ssize_t box_read(int fd, void *buf, size_t len);
/* Writes all of buf to fd (retrying short writes and EINTR): 0, or -1 with errno. */
int box_write_all(int fd, const void *buf, size_t len);
/* Reads the whole of a small file (such as /proc/PID/stat) into buf, NUL-terminated:
 * its length, or -1 with errno. */
long box_read_file(const char *path, char *buf, size_t size);

#endif
