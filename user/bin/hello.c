/* /bin/hello: the smallest demo program: greets, names its pid and arguments. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    printf("hello from /bin/hello (pid %d), %d argument(s):", (int)getpid(), argc);
    for (int i = 0; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 0;
}
