/* /bin/hello: the demo program /sbin/init runs: greets, names its pid and arguments, then
 * reads lines from the console until end of file (^D on an empty line), answering each.
 * While it waits for a line its thread is out of the Cache Kernel (paper §2.3). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    printf("hello from /bin/hello (pid %d), %d argument(s):", (int)getpid(), argc);
    for (int i = 0; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\nhello: type a line (^D on an empty line ends)\n");
    char line[256];
    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        printf("hello: you typed \"%s\" (%zu characters)\n", line, strlen(line));
    }
    printf("hello: end of input, goodbye\n");
    return 0;
}
