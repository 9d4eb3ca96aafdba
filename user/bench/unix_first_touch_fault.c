/* unix_first_touch_fault: the first write to each page of a fresh anonymous mapping: a
 * page fault the emulator answers with a zeroed frame (paper §2.1). The loop without the
 * operation writes the same pages again, now resident. */
#include <sys/mman.h>

#include "bench.h"

enum { kPages = 200, kPage = 4096 };

int main(void) {
  char* m = mmap(0, kPages * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return 1;
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kPages; ++i) m[i * kPage] = (char)i;
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kPages; ++i) m[i * kPage] = (char)(i + 1);
  const uint64_t t2 = bench_now();
  bench_report("unix_first_touch_fault", t1 - t0, t2 - t1, kPages);
  return 0;
}
