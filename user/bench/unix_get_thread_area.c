/* unix_get_thread_area: reading a thread-local variable, which reads the thread pointer
 * first (the 68040 has no thread register: __m68k_read_tp is the
 * get_thread_area call; DESIGN.md §6). */
#include "bench.h"

enum { kCalls = 2000 };

static __thread int g_local = 1;
static int g_global = 1;

/* Out of line, so that each call reads the thread pointer again (within one function
 * the compiler reads it once); the loop without the operation calls the same for a
 * plain global. */
__attribute__((noipa)) static int read_local(void) { return g_local; }
__attribute__((noipa)) static int read_global(void) { return g_global; }

int main(int argc, char** argv) {
  (void)argv;
  g_local = argc;  /* not a constant the compiler could fold */
  g_global = argc;
  volatile int sink = 0;
  sink += read_local();
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kCalls; ++i) sink += read_local();
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kCalls; ++i) sink += read_global();
  const uint64_t t2 = bench_now();
  bench_report("unix_get_thread_area", t1 - t0, t2 - t1, kCalls);
  return sink == 0;
}
