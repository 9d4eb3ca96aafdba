/* many_children: forty children alive at once, reaped by pid in reverse order and then
 * any order; sixty more one after the other (process slots are reused); each child's
 * exit code is its index, and nothing is left to wait for at the end. */
#include "check.h"
#include <sys/wait.h>

enum { CONCURRENT = 40, SEQUENTIAL = 60 };

int main(void) {
    pid_t pids[CONCURRENT];
    int forked = 0;
    for (int i = 0; i < CONCURRENT; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(i);
        if (pids[i] > 0)
            forked++;
    }
    EXPECT_EQ("children forked", forked, CONCURRENT);
    int right = 0;
    for (int i = CONCURRENT - 1; i >= CONCURRENT / 2; i--) {
        int s;
        if (waitpid(pids[i], &s, 0) == pids[i] && WIFEXITED(s) && WEXITSTATUS(s) == i)
            right++;
    }
    EXPECT_EQ("reaped by pid, last first, with their codes", right, CONCURRENT / 2);
    int sum = 0, reaped = 0;
    for (;;) {
        int s;
        pid_t p = wait(&s);
        if (p < 0)
            break;
        reaped++;
        sum += WEXITSTATUS(s);
    }
    EXPECT_EQ("the rest reaped in any order", reaped, CONCURRENT / 2);
    EXPECT_EQ("their codes add up", sum, (CONCURRENT / 2 - 1) * (CONCURRENT / 2) / 2);
    EXPECT_EQ("ECHILD after", errno, ECHILD);
    int good = 0;
    for (int i = 0; i < SEQUENTIAL; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(i % 200);
        int s;
        if (p > 0 && waitpid(p, &s, 0) == p && WEXITSTATUS(s) == i % 200)
            good++;
    }
    EXPECT_EQ("one after the other", good, SEQUENTIAL);
    return finish();
}
