/* exit42: a program's exit status reaches its parent: prints one line, returns 42. */
/* oracle-status: exit 42 */
#include <stdio.h>

int main(void) {
    printf("exit42: returning 42 from main\n");
    return 42;
}
