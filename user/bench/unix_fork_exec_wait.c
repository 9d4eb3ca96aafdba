/* unix_fork_exec_wait: fork + execve of a tiny static program + its exit + wait4 (issue
 * 18 item 11). The program is this one, run with the argument "exit": it returns from
 * main at once, so the child pays the exec, glibc's start-up and the exit (Linux's
 * figure on the same QEMU: 103,859). */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

enum { kRuns = 20 };

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "exit") == 0) return 0;
  volatile long sink = 0;
  int status;
  char* args[] = {argv[0], "exit", 0};
  char* env[] = {0};
  const uint64_t t0 = bench_now();
  for (int i = 0; i < kRuns; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      execve(argv[0], args, env);
      _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) return 1;
  }
  const uint64_t t1 = bench_now();
  for (int i = 0; i < kRuns; ++i) sink += i;
  const uint64_t t2 = bench_now();
  bench_report("unix_fork_exec_wait", t1 - t0, t2 - t1, kRuns);
  return sink == 0;
}
