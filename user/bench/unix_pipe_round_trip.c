/* unix_pipe_round_trip: one byte from a parent to its child through one pipe and back
 * through another (issue 18 item 11): each round trip is two writes, two reads and two
 * waits for the other process (Linux's figure on the same QEMU: 4,641). */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

enum { kRounds = 200 };

int main(void) {
  int there[2], back[2];
  if (pipe(there) != 0 || pipe(back) != 0) return 1;
  const pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    char c;
    close(there[1]); /* its end of the file only when the parent closes its own */
    close(back[0]);
    while (read(there[0], &c, 1) == 1)
      if (write(back[1], &c, 1) != 1) _exit(1);
    _exit(0);
  }
  close(there[0]);
  close(back[1]);
  volatile long sink = 0;
  char c = 'x';
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kRounds; ++i)
    if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1) return 1;
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kRounds; ++i) sink += i;
  const uint64_t t2 = bench_now();
  close(there[1]);
  int status;
  if (waitpid(pid, &status, 0) != pid || status != 0) return 1;
  bench_report("unix_pipe_round_trip", t1 - t0, t2 - t1, kRounds);
  return sink == 0;
}
