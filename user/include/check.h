/* check.h: the small assertion kit every test program in user/tests uses (failures name
 * the source by __FILE_NAME__, so the output does not depend on the checkout's path).
 *
 * A test prints deterministic facts to stdout only (never stderr), one per line, so that
 * its output under the UNIX emulator matches its output under qemu-m68k (the oracle) byte
 * for byte. A check that fails prints "FAIL <file>:<line>: <what> (errno E)" and makes
 * the program exit 1 at the end (finish()). Values that legitimately differ between the
 * two are either not printed or masked with an `oracle-mask:` comment in the test (see
 * README.md, "UNIX test programs").
 */
#ifndef USER_CHECK_H
#define USER_CHECK_H

#define _GNU_SOURCE 1
#define _LARGEFILE64_SOURCE 1

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_failures;
static int check_count;

/* Line-buffered stdout whatever fd 1 is (a pipe under the oracle, the console in the
 * emulator), so that both produce the same bytes even if a program dies early. */
__attribute__((constructor)) static void check_init(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static inline const char *err_name(int e) {
    switch (e) {
    case 0: return "OK";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case E2BIG: return "E2BIG";
    case ENOEXEC: return "ENOEXEC";
    case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENFILE: return "ENFILE";
    case EMFILE: return "EMFILE";
    case ENOTTY: return "ENOTTY";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
    case ESPIPE: return "ESPIPE";
    case EPIPE: return "EPIPE";
    case EROFS: return "EROFS";
    case ERANGE: return "ERANGE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case ELOOP: return "ELOOP";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ETIMEDOUT: return "ETIMEDOUT";
    default: return "E?";
    }
}

static inline void check_fail(const char *file, int line, const char *what) {
    int saved = errno;
    printf("FAIL %s:%d: %s (errno %s)\n", file, line, what, err_name(saved));
    check_failures++;
}

/* CHECK(cond): a silent assertion. */
#define CHECK(cond)                                                                        \
    do {                                                                                   \
        check_count++;                                                                     \
        if (!(cond))                                                                       \
            check_fail(__FILE_NAME__, __LINE__, #cond);                                         \
    } while (0)

/* EXPECT_OK(what, expr): expr must not be -1; prints "what: ok". Evaluates to expr. */
#define EXPECT_OK(what, expr)                                                              \
    ({                                                                                     \
        errno = 0;                                                                         \
        long expect_ok_r_ = (long)(expr);                                                  \
        check_count++;                                                                     \
        if (expect_ok_r_ == -1)                                                            \
            check_fail(__FILE_NAME__, __LINE__, what);                                          \
        else                                                                               \
            printf("%s: ok\n", what);                                                      \
        expect_ok_r_;                                                                      \
    })

/* EXPECT_ERR(what, expr, E): expr must be -1 with errno E; prints "what: E". */
#define EXPECT_ERR(what, expr, want)                                                       \
    do {                                                                                   \
        errno = 0;                                                                         \
        long expect_err_r_ = (long)(expr);                                                 \
        int expect_err_e_ = errno;                                                         \
        check_count++;                                                                     \
        if (expect_err_r_ != -1 || expect_err_e_ != (want)) {                              \
            printf("FAIL %s:%d: %s: got %ld errno %s, expected %s\n", __FILE_NAME__, __LINE__,    \
                   what, expect_err_r_, err_name(expect_err_e_), err_name(want));          \
            check_failures++;                                                              \
        } else {                                                                           \
            printf("%s: %s\n", what, err_name(want));                                      \
        }                                                                                  \
    } while (0)

/* EXPECT_EQ(what, got, want): integers; prints "what: want". */
#define EXPECT_EQ(what, got, want)                                                         \
    do {                                                                                   \
        long long expect_eq_g_ = (long long)(got), expect_eq_w_ = (long long)(want);       \
        check_count++;                                                                     \
        if (expect_eq_g_ != expect_eq_w_) {                                                \
            printf("FAIL %s:%d: %s: got %lld, expected %lld\n", __FILE_NAME__, __LINE__, what,    \
                   expect_eq_g_, expect_eq_w_);                                            \
            check_failures++;                                                              \
        } else {                                                                           \
            printf("%s: %lld\n", what, expect_eq_w_);                                      \
        }                                                                                  \
    } while (0)

/* EXPECT_STR(what, got, want): strings; prints "what: want". */
#define EXPECT_STR(what, got, want)                                                        \
    do {                                                                                   \
        const char *expect_str_g_ = (got), *expect_str_w_ = (want);                        \
        check_count++;                                                                     \
        if (expect_str_g_ == NULL || strcmp(expect_str_g_, expect_str_w_) != 0) {          \
            printf("FAIL %s:%d: %s: got \"%s\", expected \"%s\"\n", __FILE_NAME__, __LINE__,      \
                   what, expect_str_g_ ? expect_str_g_ : "(null)", expect_str_w_);         \
            check_failures++;                                                              \
        } else {                                                                           \
            printf("%s: \"%s\"\n", what, expect_str_w_);                                   \
        }                                                                                  \
    } while (0)

/* The last line of every test: the verdict and the exit status. */
static inline int finish(void) {
    printf("%s: %d checks, %d failed\n", check_failures ? "FAILED" : "passed", check_count,
           check_failures);
    return check_failures ? 1 : 0;
}

/* Reads a whole small file into buf (NUL-terminated); returns its length or -1. */
#include <fcntl.h>
static inline long slurp(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    buf[used] = '\0';
    return (long)used;
}

#endif
