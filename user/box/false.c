/* false: exits 1. */
#include "box.h"

int false_main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return 1;
}
