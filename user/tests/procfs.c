/* procfs: what the emulator's /proc and qemu-m68k's (which makes up /proc/self's stat,
 * exe and cmdline itself, in a chroot with no /proc) both answer (issue 18 item 5):
 * /proc/self/exe is the program's path, /proc/self/stat's first fields are the pid, the
 * command name in parentheses (its file's name, at most 15 bytes) and, after the state,
 * the parent's pid; /proc/PID/exe with the pid spelled out. The rest of /proc (meminfo,
 * uptime, status, listing) is checked by /stress/proc_files in the emulator only. */
#include "check.h"
#include <fcntl.h>

int main(void) {
    char buf[1024], path[64];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    EXPECT_EQ("readlink /proc/self/exe", n > 0, 1);
    buf[n > 0 ? n : 0] = 0;
    EXPECT_STR("it is the program", buf, "/tests/procfs");
    snprintf(path, sizeof path, "/proc/%d/exe", getpid());
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    EXPECT_STR("/proc/PID/exe too", buf, "/tests/procfs");

    int fd = open("/proc/self/stat", O_RDONLY);
    EXPECT_EQ("open /proc/self/stat", fd >= 0, 1);
    n = read(fd, buf, sizeof buf - 1);
    EXPECT_EQ("it has text", n > 20, 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    int pid = 0, ppid = 0;
    char comm[32] = "", state = 0;
    EXPECT_EQ("four fields parse", sscanf(buf, "%d (%31[^)]) %c %d", &pid, comm, &state, &ppid), 4);
    EXPECT_EQ("its pid is getpid()", pid == getpid(), 1);
    EXPECT_STR("its command", comm, "procfs");
    EXPECT_EQ("its parent is getppid()", ppid == getppid(), 1);
    EXPECT_EQ("the line ends in a newline", buf[strlen(buf) - 1], '\n');
    return finish();
}
