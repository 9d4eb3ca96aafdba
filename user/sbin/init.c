/* /sbin/init: the UNIX emulator's first program. Greets, shows uname and a listing of /
 * (names with a type mark, sorted), then tries to execve /bin/hello; if exec is not
 * there (part 1 of the emulator), it says why and exits 0. */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp) {
    (void)argc;
    printf("init: hello from /sbin/init, pid %d\n", (int)getpid());
    struct utsname u;
    if (uname(&u) == 0)
        printf("init: %s %s %s %s\n", u.sysname, u.nodename, u.release, u.machine);
    DIR *d = opendir("/");
    if (d) {
        char *names[64];
        int n = 0;
        struct dirent64 *e;
        while ((e = readdir64(d)) != NULL && n < 64) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            size_t len = strlen(e->d_name);
            names[n] = malloc(len + 2);
            if (!names[n])
                break;
            memcpy(names[n], e->d_name, len);
            names[n][len] = e->d_type == DT_DIR ? '/' : e->d_type == DT_LNK ? '@' : '\0';
            names[n][len + 1] = '\0';
            n++;
        }
        closedir(d);
        qsort(names, (size_t)n, sizeof names[0], by_name);
        printf("init: / holds");
        for (int i = 0; i < n; i++)
            printf(" %s", names[i]);
        printf("\n");
    } else {
        printf("init: cannot list /: %s\n", strerror(errno));
    }
    fflush(stdout);
    char *child[] = {"/bin/hello", "from-init", NULL};
    execve(child[0], child, envp);
    printf("init: execve %s: %s; %s ends here\n", child[0], strerror(errno), argv[0]);
    return 0;
}
