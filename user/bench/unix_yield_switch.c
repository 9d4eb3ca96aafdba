/* unix_yield_switch: sched_yield between two processes (issue 18 item 11): parent and
 * child each yield kYields times; with nothing else ready every yield hands the processor
 * to the other, so the time per yield is one switch between two processes, the call
 * included (Linux's figure on the same QEMU: 352). The child is running and waiting
 * before the clock starts; the parent stops it when its own loop ends, the child then
 * one yield from its end: its count of yields, in shared memory, must say it ran along
 * (a yield that found no one else ready would make the figure a bare system call's; on
 * a multiprocessor, as qemu-m68k on the host is, the two run side by side instead). */
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

enum { kYields = 500 };

static int yield_loop(volatile int* count) {
  for (int i = 0; i < kYields; ++i) {
    if (sched_yield() != 0) return 1;
    *count += 1;
  }
  return 0;
}

int main(void) {
  int ready[2], go[2];
  volatile int* counts = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (counts == MAP_FAILED || pipe(ready) != 0 || pipe(go) != 0) return 1;
  const pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    char c;
    if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1) _exit(1);
    _exit(yield_loop(&counts[1]));
  }
  char c;
  if (read(ready[0], &c, 1) != 1) return 1;
  volatile long sink = 0;
  const uint64_t t0 = bench_now();
  if (write(go[1], "g", 1) != 1 || yield_loop(&counts[0]) != 0) return 1;
  const uint64_t t1 = bench_now();
  const int child_yields = counts[1];
  for (int i = 0; i < 2 * kYields; ++i) sink += i;
  const uint64_t t2 = bench_now();
  int status;
  if (waitpid(pid, &status, 0) != pid || status != 0) return 1;
  if (child_yields < kYields / 2) {
    printf("unix_yield_switch: the yields did not alternate (the child's %d of %d)\n", child_yields, kYields);
    return 1;
  }
  bench_report("unix_yield_switch", t1 - t0, t2 - t1, 2 * kYields);
  return sink == 0;
}
