/* stdin_eof: a test program's standard input is at end of file (the oracle gives it
 * /dev/null; the emulator's test mode gives it an empty input): read(0) returns 0, and
 * stdio's getchar sees EOF. fd 0 is open (fcntl F_GETFD succeeds). */
#include "check.h"
#include <fcntl.h>

int main(void) {
    char buf[16];
    EXPECT_OK("fcntl(0, F_GETFD)", fcntl(0, F_GETFD));
    EXPECT_EQ("read(0, 16)", read(0, buf, sizeof buf), 0);
    EXPECT_EQ("read(0, 16) again", read(0, buf, sizeof buf), 0);
    EXPECT_EQ("getchar() == EOF", getchar() == EOF, 1);
    EXPECT_EQ("feof(stdin)", feof(stdin) != 0, 1);
    EXPECT_EQ("read(0, 0)", read(0, buf, 0), 0);
    return finish();
}
