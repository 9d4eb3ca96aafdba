/* unix_exec_exit: a tiny static program from execve to its exit: this program execs
 * itself kExecs times, each time with the count left and the starting time in its
 * arguments, and the last one reports the time per execve + start-up + exit of the image
 * it replaces. (Linux's figure on the same QEMU times fork + execve + wait4.) */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

enum { kExecs = 20 };

int main(int argc, char** argv) {
  char left[16], start[32];
  unsigned long long t0;
  int n;
  if (argc < 3) {
    n = kExecs;
    t0 = bench_now();
  } else {
    n = atoi(argv[1]);
    t0 = strtoull(argv[2], 0, 10);
  }
  if (n == 0) {
    const uint64_t t1 = bench_now();
    printf("bench unix_exec_exit %llu\n", (unsigned long long)((t1 - t0) / kExecs));
    return 0;
  }
  snprintf(left, sizeof left, "%d", n - 1);
  snprintf(start, sizeof start, "%llu", t0);
  char* args[] = {argv[0], left, start, 0};
  char* env[] = {0};
  execve(argv[0], args, env);
  return 1;
}
