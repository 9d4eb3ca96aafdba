/* true: exits 0. */
#include "box.h"

int true_main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return 0;
}
