/* ioctl: terminal ioctls on things that are not terminals: TCGETS and TIOCGWINSZ on a
 * regular file and a directory (ENOTTY), isatty() false with errno ENOTTY, a bad fd
 * (EBADF). Not compared: the console's own answers (under the oracle fd 1 is a pipe)
 * and unknown requests (Linux: ENOTTY; qemu-m68k: ENOSYS). */
#include "check.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

int main(void) {
    struct termios t;
    struct winsize w;
    int fd = open("/data/hello.txt", O_RDONLY);
    EXPECT_ERR("TCGETS on a file", ioctl(fd, TCGETS, &t), ENOTTY);
    EXPECT_ERR("TIOCGWINSZ on a file", ioctl(fd, TIOCGWINSZ, &w), ENOTTY);
    errno = 0;
    EXPECT_EQ("isatty(file)", isatty(fd), 0);
    EXPECT_STR("  errno", err_name(errno), "ENOTTY");
    EXPECT_ERR("tcgetattr on a file", tcgetattr(fd, &t), ENOTTY);
    close(fd);
    int dir = open("/data", O_RDONLY | O_DIRECTORY);
    EXPECT_ERR("TCGETS on a directory", ioctl(dir, TCGETS, &t), ENOTTY);
    close(dir);
    EXPECT_ERR("TCGETS on fd 99", ioctl(99, TCGETS, &t), EBADF);
    EXPECT_ERR("TCGETS on fd -1", ioctl(-1, TCGETS, &t), EBADF);
    return finish();
}
