/* ident: who and where: uname (sysname "Linux", machine "m68k"; release, version and
 * node name differ and are only checked to be nonempty), getpid (> 0, the same twice,
 * the value masked), getppid > 0, gettid == getpid (one thread), getuid/geteuid/getgid/
 * getegid (0: the emulator runs programs as root, as the oracle runs as root) and the
 * 16-bit forms, umask (022 then the new value), getrandom of 16 bytes (not all zero). */
/* oracle-mask: process id * -- the emulator's pids are its own; Linux's are the host's */
#include "check.h"
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

int main(void) {
    struct utsname u;
    EXPECT_OK("uname", uname(&u));
    EXPECT_STR("sysname", u.sysname, "Linux");
    EXPECT_STR("machine", u.machine, "m68k");
    EXPECT_EQ("release nonempty", u.release[0] != '\0', 1);
    EXPECT_EQ("version nonempty", u.version[0] != '\0', 1);
    pid_t pid = getpid();
    printf("process id %d\n", (int)pid);
    EXPECT_EQ("getpid > 0", pid > 0, 1);
    EXPECT_EQ("getpid stable", getpid() == pid, 1);
    EXPECT_EQ("getppid > 0", getppid() > 0, 1);
    EXPECT_EQ("getppid != getpid", getppid() != pid, 1);
    EXPECT_EQ("gettid == getpid", syscall(SYS_gettid) == pid, 1);
    EXPECT_EQ("getuid", getuid(), 0);
    EXPECT_EQ("geteuid", geteuid(), 0);
    EXPECT_EQ("getgid", getgid(), 0);
    EXPECT_EQ("getegid", getegid(), 0);
    EXPECT_EQ("raw getuid32", syscall(SYS_getuid32), 0);
    EXPECT_EQ("raw getuid (16-bit)", syscall(SYS_getuid), 0);
    EXPECT_EQ("raw getegid (16-bit)", syscall(SYS_getegid), 0);
    mode_t old = umask(077);
    printf("umask was %03o\n", (unsigned)old);
    EXPECT_EQ("umask now 077", umask(old), 077);
    unsigned char r[16] = {0};
    EXPECT_EQ("getrandom 16", getrandom(r, sizeof r, 0), 16);
    int any = 0;
    for (int i = 0; i < 16; i++)
        any |= r[i];
    EXPECT_EQ("random bytes not all zero", any != 0, 1);
    EXPECT_ERR("getrandom bad flags", getrandom(r, sizeof r, 0x100), EINVAL);
    return finish();
}
