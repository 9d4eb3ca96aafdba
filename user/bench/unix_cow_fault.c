/* unix_cow_fault: the first write to a page shared copy-on-write after fork (issue 18
 * item 11): the parent writes kPages pages, forks, and the child times its first write
 * to each (a fault, a frame copied, the mapping loaded writable) less a second write to
 * each (no fault). The parent only waits. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

enum { kPages = 32, kPage = 4096 };

static char pages[kPages * kPage] __attribute__((aligned(kPage)));

static uint64_t write_each(char value) {
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kPages; ++i) ((volatile char*)pages)[i * kPage] = value;
  return bench_now() - t0;
}

int main(void) {
  write_each(1);
  const pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    const uint64_t first = write_each(2);
    const uint64_t again = write_each(3);
    for (int i = 0; i < kPages; ++i)
      if (pages[i * kPage] != 3) _exit(1);
    bench_report("unix_cow_fault", first, again, kPages);
    fflush(stdout); /* _exit does not flush stdio */
    _exit(0);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid || status != 0) return 1;
  for (int i = 0; i < kPages; ++i)
    if (pages[i * kPage] != 1) return 1; /* the child's writes must not show here */
  return 0;
}
