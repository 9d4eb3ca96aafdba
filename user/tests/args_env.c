/* args_env: the initial stack's argc/argv/envp: argc 1, argv[0] the path the program
 * was started by, argv[argc] NULL, envp right after argv (Linux's layout), environ ==
 * envp, exactly PATH=/bin:/sbin HOME=/ TERM=linux (printed sorted), getenv. */
#include "check.h"

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp) {
    EXPECT_EQ("argc", argc, 1);
    EXPECT_STR("argv[0]", argv[0], "/tests/args_env");
    EXPECT_EQ("argv[argc] == NULL", argv[argc] == NULL, 1);
    EXPECT_EQ("envp == argv + argc + 1", envp == argv + argc + 1, 1);
    EXPECT_EQ("environ == envp", environ == envp, 1);
    int n = 0;
    while (envp[n])
        n++;
    EXPECT_EQ("environment entries", n, 3);
    char *sorted[16];
    CHECK(n < 16);
    for (int i = 0; i < n && i < 16; i++)
        sorted[i] = envp[i];
    qsort(sorted, (size_t)n, sizeof sorted[0], cmp);
    for (int i = 0; i < n && i < 16; i++)
        printf("env: %s\n", sorted[i]);
    EXPECT_STR("getenv(PATH)", getenv("PATH"), "/bin:/sbin");
    EXPECT_STR("getenv(HOME)", getenv("HOME"), "/");
    EXPECT_STR("getenv(TERM)", getenv("TERM"), "linux");
    EXPECT_EQ("getenv(NOPE) == NULL", getenv("NOPE") == NULL, 1);
    /* The strings live on the stack above the pointer arrays (create_elf_tables). */
    EXPECT_EQ("argv[0] above envp[]", (char *)argv[0] > (char *)(envp + n), 1);
    EXPECT_EQ("envp[0] above argv[0]", envp[0] > argv[0], 1);
    return finish();
}
