/* zz_aftermath: after the storm (it runs next, by name), the emulator still does its
 * work: a file read, a mapping, a write, the console. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
    char buf[32] = {0};
    const int fd = open("/data/hello.txt", O_RDONLY);
    const ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const int mapped = m != MAP_FAILED && (m[5000] = 7, m[5000] == 7);
    printf("zz_aftermath: file read %s, mapping %s, console fine\n", n > 0 ? "ok" : "FAILED",
           mapped ? "ok" : "FAILED");
    return n > 0 && mapped ? 0 : 1;
}
