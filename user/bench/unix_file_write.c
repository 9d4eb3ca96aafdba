/* unix_file_write: pwrite of 4 KiB over a page a tmpfs file already holds (issue 18
 * item 5): the trap, the page's lookup in the file's tree and the copy from the
 * process's memory (the page of the buffer resident already). */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"

enum { kWrites = 200, kBytes = 4096 };

static char buffer[kBytes];

int main(void) {
  volatile long sink = 0;
  const int fd = open("/bench-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 1;
  for (int i = 0; i < kBytes; ++i) buffer[i] = (char)i;
  if (pwrite(fd, buffer, kBytes, 0) != kBytes) return 1; /* the file's page exists */
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kWrites; ++i) sink += pwrite(fd, buffer, kBytes, 0);
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kWrites; ++i) sink += i;
  const uint64_t t2 = bench_now();
  close(fd);
  unlink("/bench-file");
  bench_report("unix_file_write", t1 - t0, t2 - t1, kWrites);
  return sink == 0;
}
