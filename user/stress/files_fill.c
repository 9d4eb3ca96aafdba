/* files_fill: a process that fills the emulator's file system (issue 18 item 5's hostile
 * test; it runs before the others, by name): files of 64 KiB until ENOSPC, then empty
 * files until the nodes run out (ENOSPC), names of 255 bytes until the name store is
 * full, paths nested until ENAMETOOLONG; every refusal must be ENOSPC or ENAMETOOLONG,
 * never a crash, and after removing it all statfs must show the space back. The next
 * programs (syscall_storm, zz_aftermath) find the emulator whole. Exits 0 when all held. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static int failures;
static char chunk[65536];

static void check(int ok, const char *what) {
    if (!ok) {
        printf("files_fill: FAILED: %s (errno %d)\n", what, errno);
        failures++;
    }
}

int main(void) {
    struct statfs before, full, after;
    check(statfs("/", &before) == 0, "statfs");
    check(mkdir("/fill", 0755) == 0 && chdir("/fill") == 0, "mkdir /fill");
    memset(chunk, 'f', sizeof chunk);

    /* Data until ENOSPC. */
    char name[300];
    int files = 0, err = 0;
    for (;; files++) {
        snprintf(name, sizeof name, "big%d", files);
        int fd = open(name, O_WRONLY | O_CREAT, 0644);
        if (fd < 0) {
            err = errno;
            break;
        }
        /* A write cut short by the full file system, then one refused with ENOSPC. */
        ssize_t n = write(fd, chunk, sizeof chunk);
        if (n != (ssize_t)sizeof chunk && n >= 0) n = write(fd, chunk, sizeof chunk);
        err = errno;
        close(fd);
        if (n != (ssize_t)sizeof chunk) break;
    }
    check(err == ENOSPC && files > 4, "data fills to ENOSPC");
    check(statfs("/", &full) == 0 && full.f_bfree < 20, "statfs shows it full");
    for (int i = 0; i <= files; i++) {
        snprintf(name, sizeof name, "big%d", i);
        unlink(name);
    }

    /* Nodes until ENOSPC. */
    int nodes = 0;
    for (;; nodes++) {
        snprintf(name, sizeof name, "n%d", nodes);
        int fd = open(name, O_WRONLY | O_CREAT, 0644);
        if (fd < 0) {
            err = errno;
            break;
        }
        close(fd);
    }
    check(err == ENOSPC && nodes > 100, "nodes run out with ENOSPC");
    for (int i = 0; i < nodes; i++) {
        snprintf(name, sizeof name, "n%d", i);
        check(unlink(name) == 0, "unlink a node");
    }

    /* Long names until the name store is full. */
    int longs = 0;
    for (;; longs++) {
        memset(name, 'L', 255);
        snprintf(name, 12, "%08d", longs);
        name[8] = 'L';
        name[255] = 0;
        if (mkdir(name, 0755) != 0) {
            err = errno;
            break;
        }
    }
    check(err == ENOSPC && longs > 10, "long names run out with ENOSPC");
    for (int i = 0; i < longs; i++) {
        memset(name, 'L', 255);
        snprintf(name, 12, "%08d", i);
        name[8] = 'L';
        name[255] = 0;
        check(rmdir(name) == 0, "rmdir a long name");
    }

    /* Nested until a path no longer fits PATH_MAX: chdir down, relative names. */
    memset(name, 'D', 200);
    name[200] = 0;
    int depth = 0;
    for (; depth < 100; depth++) {
        if (mkdir(name, 0755) != 0 || chdir(name) != 0) break;
    }
    char cwd[8192];
    errno = 0;
    /* (glibc falls back to walking ".." on ENAMETOOLONG, and then finds no room: ERANGE.) */
    check(depth == 100 && getcwd(cwd, sizeof cwd) == NULL && (errno == ENAMETOOLONG || errno == ERANGE),
          "a cwd 20,000 bytes deep: getcwd refuses");
    for (int i = 0; i < depth; i++) check(chdir("..") == 0 && rmdir(name) == 0, "climb back");

    chdir("/");
    check(rmdir("/fill") == 0, "rmdir /fill");
    check(statfs("/", &after) == 0 && after.f_bfree == before.f_bfree && after.f_ffree == before.f_ffree,
          "statfs shows the space back");
    if (failures == 0)
        printf("files_fill: %d files of 64 KiB, %d nodes, %d long names: ENOSPC each time, space back\n", files,
               nodes, longs);
    return failures == 0 ? 0 : 1;
}
