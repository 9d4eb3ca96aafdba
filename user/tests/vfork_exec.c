/* vfork_exec: vfork's parent resumes only once its child has exec'd or ended, with the
 * child's pid; fork + execve of another test program (/tests/exit42) + wait gives that
 * program's output and status; an execve that fails leaves the child to report it;
 * arguments and environment reach the new program. */
#include "check.h"
#include <sys/wait.h>

int main(int argc, char **argv) {
    char *const argv42[] = {"/tests/exit42", NULL};
    char *const envp[] = {"PATH=/bin:/sbin", NULL};
    if (argc == 2 && strcmp(argv[1], "child") == 0) {
        /* Run by the chain below: one more generation, whose status it passes on. */
        pid_t pid = vfork();
        if (pid == 0) {
            execve("/tests/exit42", argv42, envp);
            _exit(127);
        }
        int s = 0;
        waitpid(pid, &s, 0);
        return WEXITSTATUS(s);
    }

    pid_t pid = vfork();
    if (pid == 0)
        _exit(5);
    int s;
    EXPECT_EQ("vfork + _exit(5): reaped", waitpid(pid, &s, 0) == pid, 1);
    EXPECT_EQ("... exit 5", WEXITSTATUS(s), 5);

    pid = vfork();
    if (pid == 0) {
        execve("/tests/exit42", argv42, envp);
        _exit(127);
    }
    EXPECT_EQ("vfork + execve /tests/exit42: reaped", waitpid(pid, &s, 0) == pid, 1);
    EXPECT_EQ("... exit 42", WEXITSTATUS(s), 42);

    pid = fork();
    if (pid == 0) {
        execve("/tests/exit42", argv42, envp);
        _exit(127);
    }
    EXPECT_EQ("fork + execve /tests/exit42 + wait", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 42, 1);

    pid = fork();
    if (pid == 0) {
        char *const bad[] = {"/no/such/program", NULL};
        execve("/no/such/program", bad, envp);
        _exit(errno == ENOENT ? 100 : 101);
    }
    EXPECT_EQ("a failed execve: the child goes on (ENOENT)", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 100, 1);

    /* The chain: fork, exec a program that forks and execs again. */
    pid = fork();
    if (pid == 0) {
        char *const sh_argv[] = {"/tests/vfork_exec", "child", NULL};
        execve("/tests/vfork_exec", sh_argv, envp);
        _exit(127);
    }
    EXPECT_EQ("fork + exec of itself as 'child'", waitpid(pid, &s, 0) == pid && WEXITSTATUS(s) == 42, 1);
    return finish();
}
