// Process, identity, time and thread-area system calls (syscalls.h).
#include <string.h>

#include "blocking.h"
#include "emulator.h"
#include "emulator_lock.h"
#include "exec.h"
#include "futex.h"
#include "interruption.h"
#include "lib/endian.h"
#include "lib/str.h"
#include "libak.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "physical_memory.h"
#include "process_threads.h"
#include "signal_delivery.h"
#include "signal_post.h"
#include "signal_queue.h"
#include "startup_history.h"
#include "syscall_checks.h"
#include "syscalls.h"
#include "time_args.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

uint32_t sys_getpid(Process& p, const SyscallArgs&) { return p.tgid(); }
// Each thread its own id (a process's first thread's is its pid).
uint32_t sys_gettid(Process& p, const SyscallArgs&) { return p.pid; }
// The emulator's processes run as root (uid 0, gid 0), as qemu-m68k's oracle does under
// the test harness.
uint32_t sys_zero_id(Process&, const SyscallArgs&) { return 0; }

uint32_t sys_set_tid_address(Process& p, const SyscallArgs& a) {
  p.clear_child_tid = a[0];
  return p.pid;
}

// The robust-futex list, walked when the thread ends or execs (futex.h).
uint32_t sys_set_robust_list(Process& p, const SyscallArgs& a) {
  if (a[1] != kRobustHeadBytes) return error(abi::kEINVAL);
  p.robust_list = a[0];
  return 0;
}

// get_robust_list(tid, head_ptr, len_ptr): a thread's list head (0: the caller); ESRCH
// for no such thread.
uint32_t sys_get_robust_list(Process& p, const SyscallArgs& a) {
  const Process* t = a[0] == 0 ? &p : processes().by_tid(a[0]);
  if (t == nullptr || t->state != ProcessState::Running) return error(abi::kESRCH);
  uint8_t head[4], bytes[4];
  ck::store_be32(head, t->robust_list);
  ck::store_be32(bytes, kRobustHeadBytes);
  if (copy_out(p, a[2], bytes, sizeof bytes) != 0 || copy_out(p, a[1], head, sizeof head) != 0)
    return error(abi::kEFAULT);
  return 0;
}

// The 68040 has no thread register: glibc keeps its thread pointer here and reads it with
// get_thread_area at every thread-local access (DESIGN.md §6). The Cache Kernel answers
// those reads itself from the thread's value (CK_SET_THREAD_VALUE), kept equal to
// p.tls; a get_thread_area that still arrives (from a signal function's context) is
// answered here.
uint32_t sys_set_thread_area(Process& p, const SyscallArgs& a) {
  p.tls = a[0];
  ak::set_thread_value(0, abi::kGetThreadArea, p.tls);  // the caller: the process's thread
  return 0;
}
uint32_t sys_get_thread_area(Process& p, const SyscallArgs&) { return p.tls; }

uint32_t sys_umask(Process& p, const SyscallArgs& a) {
  const uint32_t old = p.group().umask;
  p.group().umask = a[0] & 0777;
  return old;
}

uint32_t sys_uname(Process& p, const SyscallArgs& a) {
  char u[6 * abi::kUtsnameField] = {};
  const char* const fields[6] = {"Linux", "cache-kernel", "6.1.0", "#1 Cache Kernel UNIX emulator", "m68k", "(none)"};
  for (uint32_t i = 0; i < 6; ++i)
    ck::copy_terminated(ck::StrView(fields[i]), u + i * abi::kUtsnameField, abi::kUtsnameField);
  const int32_t s = copy_out(p, a[0], u, sizeof u);
  return s != 0 ? error(-s) : 0;
}

uint32_t sys_getrandom(Process& p, const SyscallArgs& a) {
  if ((a[2] & ~(abi::kGRND_NONBLOCK | abi::kGRND_RANDOM | abi::kGRND_INSECURE)) != 0 ||
      (a[2] & (abi::kGRND_RANDOM | abi::kGRND_INSECURE)) == (abi::kGRND_RANDOM | abi::kGRND_INSECURE))
    return error(abi::kEINVAL);
  // All that was asked, up to 1 MiB a call (Linux goes on to MAX_RW_COUNT, checking for
  // signals; a short read is allowed above 256 bytes and keeps one call from holding the
  // emulator for minutes); bytes already copied when a later page faults are what it
  // returns, as Linux does.
  constexpr uint32_t kMostPerCall = 1u << 20;
  const uint32_t want = a[1] < kMostPerCall ? a[1] : kMostPerCall;
  uint32_t done = 0;
  while (done < want) {
    uint8_t chunk[256];
    const uint32_t n = want - done < sizeof chunk ? want - done : sizeof chunk;
    random_bytes(chunk, n);
    if (const int32_t s = copy_out(p, a[0] + done, chunk, n); s != 0) return done != 0 ? done : error(-s);
    done += n;
  }
  return done;
}

// Resource limits: what Linux gives a process by default. Lowering is accepted for
// RLIMIT_NOFILE (programs that test EMFILE do it); raising above the hard limit is EPERM.
struct Limit {
  uint32_t soft, hard;
};
Limit limit_of(uint32_t resource) {
  switch (resource) {
    case abi::kRLIMIT_STACK:
      return {8 * 1024 * 1024, abi::kRLIM_INFINITY};
    case abi::kRLIMIT_NOFILE:
      return {FdTable::kDefaultLimit, FdTable::kMaxFds};
    case abi::kRLIMIT_SIGPENDING:  // the queued real-time signals' pool, every process's
      return {SignalQueue::kMax, SignalQueue::kMax};
    default:
      return {abi::kRLIM_INFINITY, abi::kRLIM_INFINITY};
  }
}

uint32_t sys_ugetrlimit(Process& p, const SyscallArgs& a) {
  if (a[0] >= abi::kRLIM_NLIMITS) return error(abi::kEINVAL);
  Limit l = limit_of(a[0]);
  if (a[0] == abi::kRLIMIT_NOFILE) l.soft = p.group().fds.limit();
  uint8_t out[8];
  ck::store_be32(out, l.soft);
  ck::store_be32(out + 4, l.hard);
  const int32_t s = copy_out(p, a[1], out, sizeof out);
  return s != 0 ? error(-s) : 0;
}

// Sets a limit (soft, hard): EINVAL for soft above hard, EPERM for raising the hard one.
uint32_t set_limit(Process& p, uint32_t resource, uint64_t soft, uint64_t hard) {
  const Limit l = limit_of(resource);
  if (soft > hard) return error(abi::kEINVAL);
  const uint64_t current_hard = l.hard == abi::kRLIM_INFINITY ? ~0ull : l.hard;
  if (hard > current_hard) return error(abi::kEPERM);
  if (resource == abi::kRLIMIT_NOFILE) p.group().fds.set_limit(static_cast<uint32_t>(soft));
  return 0;
}

// setrlimit(resource, const struct rlimit*): 32-bit limits (RLIM_INFINITY all ones).
uint32_t sys_setrlimit(Process& p, const SyscallArgs& a) {
  if (a[0] >= abi::kRLIM_NLIMITS) return error(abi::kEINVAL);
  uint8_t raw[8];
  if (const int32_t s = copy_in(p, a[1], raw, sizeof raw); s != 0) return error(-s);
  const auto widen = [](uint32_t v) { return v == abi::kRLIM_INFINITY ? ~0ull : static_cast<uint64_t>(v); };
  return set_limit(p, a[0], widen(ck::load_be32(raw)), widen(ck::load_be32(raw + 4)));
}

// prlimit64(pid, resource, new, old): 64-bit limits; only the caller itself.
uint32_t sys_prlimit64(Process& p, const SyscallArgs& a) {
  if (a[0] != 0 && a[0] != p.tgid()) return error(abi::kESRCH);
  if (a[1] >= abi::kRLIM_NLIMITS) return error(abi::kEINVAL);
  Limit l = limit_of(a[1]);
  if (a[1] == abi::kRLIMIT_NOFILE) l.soft = p.group().fds.limit();
  uint8_t wanted[16];
  if (a[2] != 0) {
    if (const int32_t s = copy_in(p, a[2], wanted, sizeof wanted); s != 0) return error(-s);
  }
  if (a[3] != 0) {
    uint8_t out[16];
    const auto put64 = [](uint8_t* at, uint32_t v) {
      const uint32_t high = v == abi::kRLIM_INFINITY ? 0xffffffffu : 0;
      ck::store_be32(at, high);
      ck::store_be32(at + 4, v);
    };
    put64(out, l.soft);
    put64(out + 8, l.hard);
    if (const int32_t s = copy_out(p, a[3], out, sizeof out); s != 0) return error(-s);
  }
  if (a[2] == 0) return 0;
  const uint64_t soft = static_cast<uint64_t>(ck::load_be32(wanted)) << 32 | ck::load_be32(wanted + 4);
  const uint64_t hard = static_cast<uint64_t>(ck::load_be32(wanted + 8)) << 32 | ck::load_be32(wanted + 12);
  return set_limit(p, a[1], soft, hard);
}

// sysinfo: uptime, memory (the emulator's frames, in pages of mem_unit 4096), processes.
uint32_t sys_sysinfo(Process& p, const SyscallArgs& a) {
  uint8_t s[abi::kSysinfoBytes] = {};
  ck::store_be32(s + 0, static_cast<uint32_t>(uptime_ns() / 1000000000u));
  ck::store_be32(s + 16, memory().total());
  ck::store_be32(s + 20, memory().available());
  uint16_t procs = 0;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) procs += processes().slot(i).state != ProcessState::Free ? 1 : 0;
  ck::store_be16(s + 40, procs);
  ck::store_be32(s + 52, kPageBytes);
  const int32_t r = copy_out(p, a[0], s, sizeof s);
  return r != 0 ? error(-r) : 0;
}

// Signals are recorded until issue 18 delivers them: rt_sigaction keeps each action as
// given, rt_sigprocmask the mask (SIGKILL and SIGSTOP never blocked, never caught).
static_assert(sizeof(Process::actions[0]) == abi::kSigactionBytes, "one rt_sigaction struct per signal");

uint32_t sys_rt_sigaction(Process& p, const SyscallArgs& a) {
  const uint32_t signal = a[0];
  if (const int32_t s = check_sigaction(signal, a[1] != 0, a[3]); s != 0) return error(-s);
  uint8_t wanted[abi::kSigactionBytes];
  if (a[1] != 0) {
    if (const int32_t s = copy_in(p, a[1], wanted, sizeof wanted); s != 0) return error(-s);
  }
  if (a[2] != 0) {
    if (const int32_t s = copy_out(p, a[2], p.group().actions[signal - 1], abi::kSigactionBytes); s != 0)
      return error(-s);
  }
  if (a[1] != 0) {
    memcpy(p.group().actions[signal - 1], wanted, sizeof wanted);
    // An action that ignores the signal drops it if pending (Linux's do_sigaction).
    const uint32_t handler = ck::load_be32(wanted);
    if (handler == abi::kSIG_IGN || (handler == abi::kSIG_DFL && (default_action(signal) == DefaultAction::Ignore ||
                                                                  default_action(signal) == DefaultAction::Continue)))
      drop_pending(p, 1ull << (signal - 1));
  }
  return 0;
}

uint32_t sys_rt_sigprocmask(Process& p, const SyscallArgs& a) {
  if (const int32_t s = check_sigprocmask(a[0], a[1] != 0, a[3]); s != 0) return error(-s);
  uint64_t set = 0;
  if (a[1] != 0) {
    uint8_t raw[8];
    if (const int32_t s = copy_in(p, a[1], raw, sizeof raw); s != 0) return error(-s);
    // Linux's sigset_t on a 32-bit big-endian machine: word 0 holds signals 1-32.
    set = static_cast<uint64_t>(ck::load_be32(raw + 4)) << 32 | ck::load_be32(raw);
  }
  if (a[2] != 0) {
    uint8_t old[8];
    ck::store_be32(old, static_cast<uint32_t>(p.signal_mask));
    ck::store_be32(old + 4, static_cast<uint32_t>(p.signal_mask >> 32));
    if (const int32_t s = copy_out(p, a[2], old, sizeof old); s != 0) return error(-s);
  }
  if (a[1] == 0) return 0;
  constexpr uint64_t kNeverBlocked = 1ull << (abi::kSIGKILL - 1) | 1ull << (abi::kSIGSTOP - 1);
  switch (a[0]) {
    case abi::kSIG_BLOCK:
      p.signal_mask |= set;
      break;
    case abi::kSIG_UNBLOCK:
      p.signal_mask &= ~set;
      break;
    default:
      p.signal_mask = set;
      break;
  }
  p.signal_mask &= ~kNeverBlocked;
  return 0;
}

// Time: nanoseconds since boot from the Cache Kernel's clock (the instruction count
// under -icount); the real-time clock starts at the epoch (the machine has no calendar
// the emulator may read).
uint32_t put_timespec(Process& p, uint32_t va, uint64_t ns, bool wide) {
  uint8_t out[16];
  const uint32_t seconds = static_cast<uint32_t>(ns / 1000000000u);
  const uint32_t rest = static_cast<uint32_t>(ns % 1000000000u);
  uint32_t bytes;
  if (wide) {  // struct __kernel_timespec: 64-bit seconds, 64-bit nanoseconds
    ck::store_be32(out, 0);
    ck::store_be32(out + 4, seconds);
    ck::store_be32(out + 8, 0);
    ck::store_be32(out + 12, rest);
    bytes = 16;
  } else {
    ck::store_be32(out, seconds);
    ck::store_be32(out + 4, rest);
    bytes = 8;
  }
  const int32_t s = copy_out(p, va, out, bytes);
  return s != 0 ? error(-s) : 0;
}

bool known_clock(uint32_t id) { return id <= abi::kCLOCK_BOOTTIME; }

}  // namespace

// The processor time of the process's thread (CK_THREAD_STATS), with what its earlier
// threads used (a thread written back and loaded again starts its count over).
uint64_t thread_cpu_ns(Process& p) {
  ck_thread_stats stats{};
  if (p.thread != 0 && ak::thread_stats(p.thread, &stats) == CK_OK) p.cpu_seen = stats.run_ns;
  return p.cpu_before + p.cpu_seen;
}

// CLOCK_PROCESS_CPUTIME_ID: every thread of the process, those that ended included.
uint64_t process_cpu_ns(Process& p) {
  Process& leader = p.group();
  uint64_t ns = leader.ended_threads_cpu;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& t = processes().slot(i);
    if (t.state == ProcessState::Running && &t.group() == &leader) ns += thread_cpu_ns(t);
  }
  return ns;
}

namespace {

uint64_t clock_value(Process& p, uint32_t id) {
  switch (id) {
    case abi::kCLOCK_REALTIME:
    case abi::kCLOCK_REALTIME_COARSE:
      return realtime_ns();
    case abi::kCLOCK_PROCESS_CPUTIME_ID:
      return process_cpu_ns(p);
    case abi::kCLOCK_THREAD_CPUTIME_ID:
      return thread_cpu_ns(p);
    default:
      return uptime_ns();
  }
}

uint32_t sys_clock_gettime(Process& p, const SyscallArgs& a) {
  if (!known_clock(a[0])) return error(abi::kEINVAL);
  return put_timespec(p, a[1], clock_value(p, a[0]), false);
}
uint32_t sys_clock_gettime64(Process& p, const SyscallArgs& a) {
  if (!known_clock(a[0])) return error(abi::kEINVAL);
  return put_timespec(p, a[1], clock_value(p, a[0]), true);
}
uint32_t sys_clock_getres(Process& p, const SyscallArgs& a) {
  if (!known_clock(a[0])) return error(abi::kEINVAL);
  return a[1] == 0 ? 0 : put_timespec(p, a[1], 1, false);
}
uint32_t sys_clock_getres_time64(Process& p, const SyscallArgs& a) {
  if (!known_clock(a[0])) return error(abi::kEINVAL);
  return a[1] == 0 ? 0 : put_timespec(p, a[1], 1, true);
}
uint32_t sys_gettimeofday(Process& p, const SyscallArgs& a) {
  if (a[0] == 0) return 0;
  const uint64_t ns = realtime_ns();
  uint8_t out[8];
  ck::store_be32(out, static_cast<uint32_t>(ns / 1000000000u));
  ck::store_be32(out + 4, static_cast<uint32_t>(ns % 1000000000u / 1000u));
  const int32_t s = copy_out(p, a[0], out, sizeof out);
  return s != 0 ? error(-s) : 0;
}
uint32_t sys_time(Process& p, const SyscallArgs& a) {
  const uint32_t seconds = static_cast<uint32_t>(realtime_ns() / 1000000000u);
  if (a[0] != 0) {
    uint8_t out[4];
    ck::store_be32(out, seconds);
    if (const int32_t s = copy_out(p, a[0], out, sizeof out); s != 0) return error(-s);
  }
  return seconds;
}

// The yield itself is the resume's (handler.cpp: CK_RESUME_YIELD puts the thread behind
// the other ready threads of its priority); Linux's sched_yield always succeeds.
uint32_t sys_sched_yield(Process&, const SyscallArgs&) { return 0; }

// Sleeping: a timespec (32-bit or 64-bit seconds) in; the process waits on blocking.h
// (WaitKind::Time, paper §2.3: its thread leaves the Cache Kernel; a short sleep pauses
// in place, below) until its deadline,
// fixed by the first attempt in uptime_ns() (Process::call_deadline); the first thread's
// pass ends the wait once it has passed, so a sleep lasts at least what was asked.

// A sleep shorter than this is not a long-term event (paper §2.3): the thread stays
// loaded and lets the lock go meanwhile. Unloading and reloading costs more than such a
// sleep, and sixty processes each sleeping 2 ms at a time (fork_storm's waiters) cycled
// through the page-table pool fast enough to starve a fault of tables (CK_E_NO_TABLES).
constexpr uint64_t kShortSleepNs = 20 * 1000 * 1000;

// True when a signal ended it (a sender wakes the thread: signal_delivery.h).
bool pause_until(Process& p, uint64_t deadline) {
  bool interrupted = false;
  p.sig.pausing = true;
  for (uint64_t now = uptime_ns(); now < deadline && !interrupted; now = uptime_ns()) {
    emulator_lock().pause(processes().index_of(p), static_cast<uint32_t>(deadline - now));
    interrupted = signal_ends_wait(p);
  }
  p.sig.pausing = false;
  return interrupted;
}

// Where a sleep writes what is left when a signal ends it: a relative sleep's second
// timespec (nanosleep's, clock_nanosleep's without TIMER_ABSTIME), when given.
struct Remainder {
  uint32_t va;
  bool wide;
};

// A sleep a signal ended. A relative one writes what is left; the call ends with
// ERESTARTNOHAND, which is Linux's ERESTART_RESTARTBLOCK as the program sees it: EINTR
// when a handler runs (SA_RESTART or not), else (a stop and a continue, an ignored
// signal) the call is made again and sleeps on to the same deadline, which it keeps in
// Process::call_deadline until then (a handler drops it: signal_delivery.cpp).
uint32_t sleep_interrupted(Process& p, uint64_t deadline, const Remainder& remainder) {
  const uint64_t now = uptime_ns();
  if (remainder.va != 0) {
    if (put_timespec(p, remainder.va, deadline > now ? deadline - now : 0, remainder.wide) != 0) {
      end_call(p);
      return abi::kEFAULT;
    }
  }
  p.call_again = true;
  p.call_deadline = deadline;
  return static_cast<uint32_t>(abi::kERESTARTNOHAND);
}

// Sleeps until `deadline` (0 once it has passed) or until a signal ends it. A short
// sleep pauses in place; a longer one is a long-term wait, made again when woken (its
// thread traps again: do_clock_nanosleep finds Process::call_again).
uint32_t sleep_until(Process& p, uint64_t deadline, const Remainder& remainder) {
  const uint64_t now = uptime_ns();
  if (now >= deadline) return end_call(p), 0;
  if (signal_ends_wait(p)) return sleep_interrupted(p, deadline, remainder);
  if (deadline - now < kShortSleepNs) {
    if (pause_until(p, deadline) && uptime_ns() < deadline) return sleep_interrupted(p, deadline, remainder);
    return end_call(p), 0;
  }
  p.call_again = true;
  p.call_deadline = deadline;
  block_process(p, WaitKind::Time, 0, deadline);
}

uint32_t do_clock_nanosleep(Process& p, uint32_t clock, uint32_t flags, uint32_t request, uint32_t remain, bool wide) {
  // Errors come back positive here and are negated by the callers.
  const bool absolute = (flags & 1u) != 0;  // TIMER_ABSTIME
  const Remainder remainder{.va = absolute ? 0 : remain, .wide = wide};
  if (p.call_again) return sleep_until(p, p.call_deadline, remainder);
  if (!known_clock(clock) || clock == abi::kCLOCK_THREAD_CPUTIME_ID) return abi::kEINVAL;
  if ((flags & ~1u) != 0) return abi::kEINVAL;
  uint64_t ns;
  if (const int32_t s = timespec_in(p, request, wide, &ns); s != 0) return static_cast<uint32_t>(-s);
  const bool realtime = clock == abi::kCLOCK_REALTIME || clock == abi::kCLOCK_REALTIME_COARSE;
  const uint64_t deadline = sleep_deadline(realtime, absolute, ns);
  if (deadline == 0 || deadline <= uptime_ns()) return 0;
  return sleep_until(p, deadline, remainder);
}

uint32_t sys_nanosleep(Process& p, const SyscallArgs& a) {
  const uint32_t r = do_clock_nanosleep(p, abi::kCLOCK_MONOTONIC, 0, a[0], a[1], false);
  return r == 0 ? 0 : error(static_cast<int32_t>(r));
}
// The system call returns -errno (glibc turns it into clock_nanosleep's positive result).
uint32_t sys_clock_nanosleep(Process& p, const SyscallArgs& a) {
  const uint32_t r = do_clock_nanosleep(p, a[0], a[1], a[2], a[3], false);
  return r == 0 ? 0 : error(static_cast<int32_t>(r));
}
uint32_t sys_clock_nanosleep_time64(Process& p, const SyscallArgs& a) {
  const uint32_t r = do_clock_nanosleep(p, a[0], a[1], a[2], a[3], true);
  return r == 0 ? 0 : error(static_cast<int32_t>(r));
}

// execve(path, argv, envp): the arguments and environment are copied first; once the
// program is found good the old image goes (the point of no return) and the thread
// starts the new one.
constexpr uint32_t kExecStringBytes = 48 * 1024, kExecVectors = 1024;
char g_exec_path[abi::kPathMax];
char g_exec_strings[kExecStringBytes];
const char* g_exec_vectors[kExecVectors];

// Copies the NULL-terminated vector at `va` into the buffers from *used on: its count
// or -errno (EFAULT, E2BIG).
int32_t copy_vector(Process& p, uint32_t va, uint32_t* used_strings, uint32_t* used_vectors) {
  uint32_t count = 0;
  for (; va != 0; ++count) {
    uint8_t raw[4];
    if (const int32_t s = copy_in(p, va + 4 * count, raw, sizeof raw); s != 0) return s;
    const uint32_t string = ck::load_be32(raw);
    if (string == 0) break;
    if (*used_vectors == kExecVectors) return -abi::kE2BIG;
    const int32_t n = copy_string_in(p, string, g_exec_strings + *used_strings, kExecStringBytes - *used_strings);
    if (n == -abi::kENAMETOOLONG) return -abi::kE2BIG;
    if (n < 0) return n;
    g_exec_vectors[(*used_vectors)++] = g_exec_strings + *used_strings;
    *used_strings += static_cast<uint32_t>(n) + 1;
  }
  return static_cast<int32_t>(count);
}

uint32_t sys_execve(Process& p, const SyscallArgs& a) {
  const int32_t length = copy_string_in(p, a[0], g_exec_path, sizeof g_exec_path);
  if (length < 0) return error(-length);
  if (length == 0) return error(abi::kENOENT);
  // Linux's order of errors: the file first, then the arguments, then its format.
  uint32_t node;
  if (const int32_t s = check_executable(p.group().cwd, g_exec_path, static_cast<uint32_t>(length), &node); s != 0)
    return error(-s);
  uint32_t strings = 0, vectors = 0;
  const int32_t argc = copy_vector(p, a[1], &strings, &vectors);
  if (argc < 0) return error(-argc);
  const int32_t envc = copy_vector(p, a[2], &strings, &vectors);
  if (envc < 0) return error(-envc);
  ExecArgs args{g_exec_vectors, static_cast<uint32_t>(argc), g_exec_vectors + argc, static_cast<uint32_t>(envc)};
  Program program;
  const char* program_path;
  if (const int32_t s = find_executable(p.group().cwd, g_exec_path, static_cast<uint32_t>(length), &args, &node,
                                        &program, &program_path);
      s != 0)
    return error(-s);
  // The point of no return. A vfork parent waits no more; caught signals go back to their
  // default actions (ignored ones stay ignored), as on Linux.
  if (p.vfork_parent != 0) {
    wake_waiters(WaitKind::Vfork, p.pid);
    p.vfork_parent = 0;
  }
  // The process's other threads end (Linux's de_thread).
  end_threads(p.group(), &p);
  // Cleared in place (__builtin_memset: the guest's -ffreestanding makes a memset a call,
  // and 64 calls were 4,300 instructions of an execve).
  for (uint8_t* action : p.group().actions)
    if (ck::load_be32(action) != 1u /* SIG_IGN */) __builtin_memset(action, 0, abi::kSigactionBytes);
  // The alternate signal stack was the old image's (Linux's exec resets it); the mask and
  // pending signals stay.
  p.sig.altstack_sp = p.sig.altstack_size = 0;
  p.sig.altstack_autodisarm = false;
  p.sig.held_frame = 0;
  p.group().execed = true;
  release_robust_futexes(p);  // Linux's exec_mm_release
  static KeptMappings kept;   // (one execve at a time: the emulator's lock)
  drop_image(p, &kept);
  p.group().fds.close_on_exec();
  p.tls = 0;
  ak::set_thread_value(0, abi::kGetThreadArea, 0);
  p.clear_child_tid = 0;
  uint32_t pc, sp;
  const int32_t loaded = load_image(p, node, program, program_path, args, &pc, &sp);
  settle_kept_mappings(p, kept, loaded == 0);
  if (loaded != 0) {
    p.group().death_reason = "its new program could not be loaded";
    exit_process(p, abi::kSIGSEGV);
  }
  if (!p.is_leader()) exec_in_leader(p, pc, sp);
  preload_image(p, pc, sp);
  p.group().program = node;
  start_history(p, node, Start::Exec);
  preload_history(p);
  p.exec_pc = pc;
  p.exec_sp = sp;
  return 0;
}

constexpr SyscallEntry kEntries[] = {
    {abi::kGetpid, sys_getpid},
    {abi::kGettid, sys_gettid},
    {abi::kGetuid, sys_zero_id},
    {abi::kGeteuid, sys_zero_id},
    {abi::kGetgid, sys_zero_id},
    {abi::kGetegid, sys_zero_id},
    {abi::kGetuid32, sys_zero_id},
    {abi::kGeteuid32, sys_zero_id},
    {abi::kGetgid32, sys_zero_id},
    {abi::kGetegid32, sys_zero_id},
    {abi::kSetTidAddress, sys_set_tid_address},
    {abi::kSetRobustList, sys_set_robust_list},
    {abi::kGetRobustList, sys_get_robust_list},
    {abi::kSetThreadArea, sys_set_thread_area},
    {abi::kGetThreadArea, sys_get_thread_area},
    {abi::kUmask, sys_umask},
    {abi::kUname, sys_uname},
    {abi::kGetrandom, sys_getrandom},
    {abi::kUgetrlimit, sys_ugetrlimit},
    {abi::kGetrlimit, sys_ugetrlimit},
    {abi::kPrlimit64, sys_prlimit64},
    {abi::kSetrlimit, sys_setrlimit},
    {abi::kSysinfo, sys_sysinfo},
    {abi::kRtSigaction, sys_rt_sigaction},
    {abi::kRtSigprocmask, sys_rt_sigprocmask},
    {abi::kClockGettime, sys_clock_gettime},
    {abi::kClockGettime64, sys_clock_gettime64},
    {abi::kClockGetres, sys_clock_getres},
    {abi::kClockGetresTime64, sys_clock_getres_time64},
    {abi::kGettimeofday, sys_gettimeofday},
    {abi::kTime, sys_time},
    {abi::kSchedYield, sys_sched_yield},
    {abi::kNanosleep, sys_nanosleep},
    {abi::kClockNanosleep, sys_clock_nanosleep},
    {abi::kClockNanosleepTime64, sys_clock_nanosleep_time64},
    {abi::kExecve, sys_execve},
};

}  // namespace

SyscallGroup process_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
