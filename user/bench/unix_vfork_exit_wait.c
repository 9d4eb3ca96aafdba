/* unix_vfork_exit_wait: vfork + _exit + wait4 round trip (issue 18 item 11): the child
 * borrows the parent's memory and exits at once; the parent, held until then, reaps it.
 * Nothing is copied or write-protected, so this is the process creation's floor
 * (Linux's figure on the same QEMU: 19,274). */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

enum { kForks = 40 };

int main(void) {
  volatile long sink = 0;
  int status;
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kForks; ++i) {
    const pid_t pid = vfork();
    if (pid == 0) _exit(0);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) return 1;
  }
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kForks; ++i) sink += i;
  const uint64_t t2 = bench_now();
  bench_report("unix_vfork_exit_wait", t1 - t0, t2 - t1, kForks);
  return sink == 0;
}
