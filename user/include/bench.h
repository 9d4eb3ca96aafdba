/* The UNIX emulator's benchmarks (issue 17 item 9): static programs that time a loop of
 * many operations between two clock reads and subtract the same loop's cost without the
 * operation. Under QEMU's -icount shift=0 the monotonic clock counts instructions (one
 * nanosecond each), in the emulator and in Linux alike, so the figures are instructions
 * per operation. Each program prints one line: "bench NAME N". */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline uint64_t bench_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static inline void bench_report(const char* name, uint64_t with, uint64_t without, uint32_t count) {
  const uint64_t cost = with > without ? with - without : 0;
  printf("bench %s %llu\n", name, (unsigned long long)((cost + count / 2) / count));
}

#endif
