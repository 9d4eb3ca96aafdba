/* unix_create_unlink: a new file's whole life in the tmpfs (issue 18 item 5): open with
 * O_CREAT|O_EXCL (the path resolved, a node and a name taken), close, unlink (the node
 * and the name given back): three system calls. */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"

enum { kFiles = 200 };

int main(void) {
  volatile long sink = 0;
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kFiles; ++i) {
    const int fd = open("/bench-new", O_WRONLY | O_CREAT | O_EXCL, 0644);
    sink += close(fd) + unlink("/bench-new");
  }
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kFiles; ++i) sink += i;
  const uint64_t t2 = bench_now();
  bench_report("unix_create_unlink", t1 - t0, t2 - t1, kFiles);
  return sink == 0;
}
