/* proc_files: the emulator's /proc where the oracle cannot compare it (qemu-m68k makes
 * up only /proc/self's stat, exe and cmdline; the unix suite's chroot has no /proc):
 * /proc lists "self" and this process's pid, /proc/self is a link to the pid,
 * /proc/PID/status has Name, State, Pid and PPid, /proc/meminfo has the fields `free`
 * reads (MemTotal >= MemFree > 0), /proc/uptime is "SECONDS.CC IDLE.CC", a /proc/PID of
 * no process is ENOENT, /proc's files cannot be written, mapped (ENODEV) or run (EACCES),
 * chdir into /proc/self works.
 * Prints one line and exits 0 when all hold; else names what failed and exits 1. */
#define _GNU_SOURCE 1
#define _LARGEFILE64_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what) {
    if (!ok) {
        printf("proc_files: FAILED: %s (errno %d)\n", what, errno);
        failures++;
    }
}

static int slurp(const char *path, char *buf, int size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = (int)read(fd, buf, size - 1);
    close(fd);
    if (n >= 0) buf[n] = 0;
    return n;
}

static long field(const char *text, const char *name) {
    const char *at = strstr(text, name);
    return at ? strtol(at + strlen(name), NULL, 10) : -1;
}

int main(void) {
    char buf[4096], want[64], path[64];
    const int pid = getpid();
    snprintf(want, sizeof want, "%d", pid);

    DIR *d = opendir("/proc");
    int self = 0, mine = 0;
    for (struct dirent64 *e; d && (e = readdir64(d)) != NULL;) {
        self |= strcmp(e->d_name, "self") == 0 && e->d_type == DT_LNK;
        mine |= strcmp(e->d_name, want) == 0 && e->d_type == DT_DIR;
    }
    if (d) closedir(d);
    check(self, "/proc lists self");
    check(mine, "/proc lists this pid");
    char link[32] = "";
    check(readlink("/proc/self", link, sizeof link - 1) > 0 && strcmp(link, want) == 0, "/proc/self -> pid");

    snprintf(path, sizeof path, "/proc/%d/status", pid);
    check(slurp(path, buf, sizeof buf) > 0, "read status");
    check(strstr(buf, "Name:\tproc_files\n") != NULL, "status Name");
    check(strstr(buf, "State:\tR (running)\n") != NULL, "status State");
    check(field(buf, "\nPid:\t") == pid, "status Pid");
    check(field(buf, "\nPPid:\t") == getppid(), "status PPid");

    check(slurp("/proc/meminfo", buf, sizeof buf) > 0, "read meminfo");
    const long total = field(buf, "MemTotal:"), free_kb = field(buf, "MemFree:");
    check(total > 0 && free_kb > 0 && free_kb <= total, "MemTotal >= MemFree > 0");
    check(field(buf, "MemAvailable:") >= 0 && field(buf, "Buffers:") >= 0 && field(buf, "Cached:") >= 0,
          "MemAvailable, Buffers, Cached");
    check(field(buf, "SwapTotal:") == 0 && field(buf, "SwapFree:") == 0, "no swap");
    check(strstr(buf, " kB\n") != NULL, "kB units");

    check(slurp("/proc/uptime", buf, sizeof buf) > 0, "read uptime");
    double up = -1, idle = -1;
    check(sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0, "uptime's two numbers");

    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    check(slurp(path, buf, sizeof buf) > 0, "read /proc/PID/stat");
    int spid = 0, sppid = 0;
    char state = 0;
    check(sscanf(buf, "%d (proc_files) %c %d", &spid, &state, &sppid) == 3 && spid == pid && state == 'R' &&
              sppid == getppid(),
          "stat's pid, state, ppid");
    int fields = 1;
    for (const char *c = strchr(buf, ')'); c && *c; c++) fields += *c == ' ';
    check(fields >= 44, "stat has Linux's fields");

    errno = 0;
    check(open("/proc/999999/stat", O_RDONLY) < 0 && errno == ENOENT, "a missing pid is ENOENT");
    errno = 0;
    check(open("/proc/meminfo", O_WRONLY) < 0 && errno == EACCES, "meminfo is read-only");
    errno = 0;
    check(mkdir("/proc/x", 0755) < 0, "no mkdir in /proc");
    /* Neither a mapping nor a program: refused, the emulator unharmed. */
    int fd = open("/proc/self/stat", O_RDONLY);
    errno = 0;
    check(fd >= 0 && mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == ENODEV,
          "mmap of a /proc file is ENODEV");
    close(fd);
    char *args[] = {"stat", NULL};
    errno = 0;
    check(execve("/proc/self/stat", args, args + 1) < 0 && errno == EACCES, "execve of a /proc file is EACCES");
    struct stat st;
    check(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode), "lstat /proc/self");
    check(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode), "stat /proc/self");
    check(chdir("/proc/self") == 0 && slurp("stat", buf, sizeof buf) > 0, "chdir /proc/self, read stat");
    check(getcwd(buf, sizeof buf) != NULL && strcmp(buf + 6, want) == 0, "getcwd in /proc/PID");
    chdir("/");
    if (failures == 0) printf("proc_files: /proc answers as Linux's does\n");
    return failures == 0 ? 0 : 1;
}
