/* unix_getpid: a system call that does nothing but answer, forwarded to the emulator
 * and back (paper §2.3: "effectively the cost of a getpid"). */
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

enum { kCalls = 2000 };

int main(void) {
  volatile long sink = 0;
  syscall(SYS_getpid);  /* the first call pages in what the loop touches */
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kCalls; ++i) sink += syscall(SYS_getpid);
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kCalls; ++i) sink += i;
  const uint64_t t2 = bench_now();
  bench_report("unix_getpid", t1 - t0, t2 - t1, kCalls);
  return sink == 0;
}
