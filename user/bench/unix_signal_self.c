/* unix_signal_self: kill of the process itself with a handler installed, the handler run
 * and its sigreturn (issue 18 item 11; Linux's figure on the same QEMU: 2,560). In the
 * emulator a delivery is acted on on the thread's written-back state (signal_delivery.h):
 * the kill and the sigreturn each unload the thread and load it again. */
#include <signal.h>
#include <unistd.h>

#include "bench.h"

enum { kSignals = 200 };

static volatile int hits;
static void handler(int sig) { hits += sig; }

int main(void) {
  signal(SIGUSR1, handler);
  const pid_t self = getpid();
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kSignals; ++i) kill(self, SIGUSR1);
  const uint64_t t1 = bench_now();
  signal(SIGUSR1, SIG_IGN);
  for (int i = 0; i < kSignals; ++i) kill(self, SIGUSR1);
  const uint64_t t2 = bench_now();
  bench_report("unix_signal_self", t1 - t0, t2 - t1, kSignals);
  return hits != kSignals * SIGUSR1;
}
