// A test application kernel for scheduling (issue 5, paper §2.3, §4.3), started as the
// first kernel by the guest test scheduling.cpp, one scenario per start. Its threads
// are C++ functions of this image; a second kernel ("B") runs threads of the same image
// in a home space of its own that maps this image's frames (ck_boot_info's
// image_physical), so both kernels see the same globals. Time is the Cache Kernel's
// clock (CK_QUERY_TIME); the test runs under -icount, where it counts instructions.
#include <stdint.h>

#include "checks.h"
#include "libak.h"
#include "threads.h"

namespace {

using ak::check;
using ak::check_eq;
using ak::print;
using ak::take_frame;
using ck::StrView;

const ck_boot_info* g_info;  // mapped in this kernel's space only, not in kernel B's
uint32_t g_srm_kernel, g_srm_thread;
uint32_t g_tick_ns;

uint32_t drain() {
  ak::WritebackReader reader(g_info->ring);
  ck_writeback r;
  uint32_t n = 0;
  while (reader.next(&r)) n += 1;
  return n;
}

uint32_t self_thread() { return ak::query(CK_QUERY_SELF_THREAD).value; }

// No thread of these scenarios should take an exception: each one is a failure (the
// handler runs for kernel B's threads too, in B's space, on the same globals).
class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    print("ak_sched: exception {} (vector {}) at pc {:#x}, address {:#x}\n", e.kind, e.vector, e.regs.pc, e.address);
    check(false, "no thread takes an exception");
    ak::unload_thread(e.thread);
  }
};
Handler g_handler;

// Sleeps the calling thread for `ticks` clock ticks.
void sleep_ticks(uint32_t ticks) { check_eq(ak::block_self(ticks * g_tick_ns).status, CK_OK, "block with a timeout"); }

// ---- Threads of this image --------------------------------------------------------

constexpr uint32_t kThreads = 8;
ak::ThreadStacks g_thread_memory[kThreads];  // one live thread on each

// A state running `entry(argument)` on the stacks of `memory`.
ck_thread_state thread_state(void (*entry)(uint32_t), uint32_t argument, uint32_t memory) {
  return ak::thread_state(entry, argument, g_thread_memory[memory]);
}

uint32_t start_thread(uint32_t space, void (*entry)(uint32_t), uint32_t argument, uint32_t priority, uint32_t memory,
                      uint32_t flags = 0) {
  const ak::CallResult r =
      ak::load_thread(space, argument, flags | priority << CK_PRIORITY_SHIFT, thread_state(entry, argument, memory));
  check_eq(r.status, CK_OK, "load a thread");
  return r.value;
}

uint64_t run_ns(uint32_t thread) {
  ck_thread_stats s{};
  check_eq(ak::thread_stats(thread, &s), CK_OK, "thread statistics");
  return s.run_ns;
}

ck_kernel_stats kernel_stats(uint32_t kernel) {
  ck_kernel_stats s{};
  check_eq(ak::kernel_stats(kernel, &s), CK_OK, "kernel statistics");
  return s;
}

volatile uint32_t g_stop;
volatile uint32_t g_counts[kThreads];

void spinner(uint32_t i) {
  while (g_stop == 0) g_counts[i] = g_counts[i] + 1;
}

// ---- A second kernel on this image --------------------------------------------------

// Kernel B: `percent` of the processor, priorities up to `max_priority`, running this
// image in its own home space (ak::load_kernel_on_image). Returns its id.
uint32_t start_kernel_b(uint32_t percent, uint32_t max_priority, uint32_t* home) {
  const ak::ImageKernel b = ak::load_kernel_on_image(take_frame(), percent, max_priority);
  check_eq(b.status, CK_OK, "start kernel B on this image");
  *home = b.home;
  return b.kernel;
}

void stop_kernel_b(uint32_t kernel) {
  check_eq(ak::unload_kernel_whole(kernel), CK_OK, "unload kernel B");
  drain();
}

// ---- Scenarios --------------------------------------------------------------------

// Three threads at one priority share the processor evenly over 1,000 ticks; a thread
// of higher priority runs before any of them.
volatile uint32_t g_high_before[3], g_high_after[3], g_high_ran;

void high_priority(uint32_t) {
  for (uint32_t i = 0; i < 3; ++i) g_high_before[i] = g_counts[i];
  const uint32_t start = ak::now();
  while (ak::now() - start < 3 * g_tick_ns) {
  }
  for (uint32_t i = 0; i < 3; ++i) g_high_after[i] = g_counts[i];
  g_high_ran = 1;
}

void round_robin() {
  const uint32_t home = g_info->space;
  uint32_t workers[3];
  for (uint32_t i = 0; i < 3; ++i) workers[i] = start_thread(home, spinner, i, 5, i);
  const uint32_t t0 = ak::now();
  sleep_ticks(1000);
  const uint32_t elapsed = ak::now() - t0;
  uint64_t runs[3], total = 0;
  for (uint32_t i = 0; i < 3; ++i) total += runs[i] = run_ns(workers[i]);
  const uint64_t mean = total / 3;
  for (uint32_t i = 0; i < 3; ++i) {
    print("ak_sched: worker {}: {} ns of {} ({} per mille of the three)\n", i, static_cast<uint32_t>(runs[i]), elapsed,
          static_cast<uint32_t>(runs[i] * 1000 / total));
    const uint64_t off = runs[i] > mean ? runs[i] - mean : mean - runs[i];
    check(off * 20 <= mean, "an equal share within 5%");
  }
  check(total * 10 >= static_cast<uint64_t>(elapsed) * 9, "the three used at least 90% of the processor");

  start_thread(home, high_priority, 0, 6, 3);
  sleep_ticks(10);
  check_eq(g_high_ran, 1, "the higher-priority thread ran");
  for (uint32_t i = 0; i < 3; ++i)
    check_eq(g_high_after[i], g_high_before[i], "no lower-priority thread ran while it was ready");
  g_stop = 1;
  for (uint32_t w : workers) check_eq(ak::unload_thread(w), CK_OK, "unload a worker");
  drain();
}

// Kernel B, granted 20% and priorities up to 10, runs a compute-bound thread at 10.
// Alone it gets the whole processor; against a busy first kernel its share converges
// to its grant; a real-time thread of the first kernel (priority 25, above B's ceiling)
// runs within a bounded time of every wake-up.
constexpr uint32_t kLatencyBoundNs = 20000;
volatile uint32_t g_rt_wakeups, g_rt_worst_latency;

void real_time(uint32_t) {
  while (g_stop == 0) {
    // Half a tick: the timeout ends on the next tick (timeouts end on ticks).
    const ak::CallResult r = ak::block_self(g_tick_ns / 2);
    const uint32_t latency = ak::now() - r.value;
    if (latency > g_rt_worst_latency) g_rt_worst_latency = latency;
    g_rt_wakeups = g_rt_wakeups + 1;
  }
}

void cpu_share() {
  uint32_t b_home;
  const uint32_t b = start_kernel_b(20, 10, &b_home);
  start_thread(b_home, spinner, 0, 10, 0);
  const ck_kernel_stats alone0 = kernel_stats(b);
  const uint32_t t0 = ak::now();
  sleep_ticks(500);
  const uint32_t t1 = ak::now();
  const ck_kernel_stats alone1 = kernel_stats(b);
  const uint32_t alone = static_cast<uint32_t>(alone1.run_ns - alone0.run_ns);
  print("ak_sched: B alone: {} ns of {}, share {} per mille, throttled {}\n", alone, t1 - t0, alone1.share_permille,
        alone1.throttled);
  check(alone * 10ull >= (t1 - t0) * 9ull, "alone, B gets the whole processor (90% or more)");

  // A busy first kernel at priority 0, and its real-time thread.
  start_thread(g_info->space, spinner, 1, 0, 1);
  const uint32_t rt = start_thread(g_info->space, real_time, 2, 25, 2, CK_LOCK);
  sleep_ticks(200);  // the window (100 ticks) forgets B's time alone
  const ck_kernel_stats busy0 = kernel_stats(b);
  const uint32_t wakeups0 = g_rt_wakeups;
  g_rt_worst_latency = 0;
  const uint32_t t2 = ak::now();
  sleep_ticks(1000);
  const uint32_t t3 = ak::now();
  const ck_kernel_stats busy1 = kernel_stats(b);
  const uint32_t ran = static_cast<uint32_t>(busy1.run_ns - busy0.run_ns);
  const uint32_t charged = static_cast<uint32_t>(busy1.charged_ns - busy0.charged_ns);
  const uint32_t permille = static_cast<uint32_t>(charged * 1000ull / (t3 - t2));
  print("ak_sched: B against a busy kernel: ran {} ns, charged {} ns of {}: {} per mille charged (window {})\n", ran,
        charged, t3 - t2, permille, busy1.share_permille);
  check(permille <= 230, "B's charged share is at most its 20% plus 3 points");
  check(permille >= 150, "and B is not starved below 15%");
  const uint32_t wakeups = g_rt_wakeups - wakeups0;
  print("ak_sched: real-time thread: {} wake-ups in 1000 ticks, worst latency {} ns\n", wakeups, g_rt_worst_latency);
  check(wakeups >= 900, "the real-time thread woke on 90% of the ticks or more");
  check(g_rt_worst_latency <= kLatencyBoundNs, "wake-up to running within the bound");
  (void)rt;

  g_stop = 1;
  stop_kernel_b(b);
  sleep_ticks(2);  // the first kernel's threads end
}

// A locked scheduler thread at high priority wakes on every tick while two kernels
// compute and the main thread churns the thread cache (8 descriptors) with loads that
// displace unlocked threads: it is never displaced and misses no more than a few ticks.
volatile uint32_t g_scheduler_rounds;

void scheduler(uint32_t) {
  while (g_stop == 0) {
    ak::block_self(g_tick_ns / 2);
    g_scheduler_rounds = g_scheduler_rounds + 1;
  }
}

void locked_scheduler() {
  uint32_t b_home;
  const uint32_t b = start_kernel_b(50, 10, &b_home);
  start_thread(b_home, spinner, 0, 10, 0, CK_LOCK);
  start_thread(g_info->space, spinner, 1, 3, 1, CK_LOCK);
  const uint32_t sched = start_thread(g_info->space, scheduler, 0, 28, 2, CK_LOCK);
  const uint32_t rounds0 = g_scheduler_rounds;
  const uint32_t t0 = ak::now();
  uint32_t displaced = 0;
  ck_writeback r;
  uint32_t churn[400];
  for (uint32_t i = 0; i < 400; ++i) {
    // Each load may displace an unlocked thread; none may be the scheduler. The churn
    // threads share one stack: spinner keeps nothing there, and they never return
    // (they are unloaded below).
    churn[i] = start_thread(g_info->space, spinner, 3, 1, 7);
    ak::WritebackReader reader(g_info->ring);
    while (reader.next(&r)) {
      if (r.kind != CK_WB_THREAD) continue;
      displaced += 1;
      check(r.id != sched, "the locked scheduler thread is never written back");
    }
    sleep_ticks(2);
  }
  const uint32_t ticks = (ak::now() - t0) / g_tick_ns;
  const uint32_t rounds = g_scheduler_rounds - rounds0;
  print("ak_sched: scheduler thread: {} rounds in {} ticks; {} threads displaced meanwhile\n", rounds, ticks,
        displaced);
  check(displaced > 100, "the thread cache was under pressure");
  check(rounds * 10 >= ticks * 9, "the scheduler ran on 90% of the ticks or more");
  for (uint32_t t : churn) {
    const int32_t st = ak::unload_thread(t);
    check(st == CK_OK || st == CK_E_STALE_ID, "unload a churn thread, unless displaced");
  }
  drain();
  g_stop = 1;
  stop_kernel_b(b);
  sleep_ticks(2);
  // The displaced spinners' threads are gone; what is left of this kernel's ends itself.
}

// A thread blocked on a long-term event is unloaded by its kernel (its writeback says
// blocked, its CK_BLOCK already answered CK_OK) and loaded again later: it goes on
// after its block as if woken (paper §2.3).
volatile uint32_t g_sleeper_stage;
volatile int32_t g_sleeper_status;

void long_sleeper(uint32_t) {
  g_sleeper_stage = 1;
  g_sleeper_status = ak::block_self().status;  // no timeout: only a wake-up or an unload
  g_sleeper_stage = 2;
}

void unload_blocked() {
  const uint32_t t = start_thread(g_info->space, long_sleeper, 0, 10, 0);
  sleep_ticks(3);
  check_eq(g_sleeper_stage, 1, "the thread ran and blocked");
  ck_thread_stats st{};
  check_eq(ak::thread_stats(t, &st), CK_OK, "its statistics");
  check_eq(st.state, CK_THREAD_BLOCKED, "it is blocked");
  drain();
  check_eq(ak::unload_thread(t), CK_OK, "unload the blocked thread");
  ak::WritebackReader reader(g_info->ring);
  ck_writeback r{};
  ck_thread_state state{};
  check(reader.next(&r, &state), "its writeback");
  check_eq(r.kind, CK_WB_THREAD, "a thread record");
  check((r.flags & CK_WB_BLOCKED) != 0, "marked blocked");
  check_eq(state.regs.d[0], CK_OK, "its CK_BLOCK's status in d0");
  sleep_ticks(20);
  check_eq(g_sleeper_stage, 1, "an unloaded thread does not run");
  check_eq(ak::load_thread(g_info->space, 0, 10 << CK_PRIORITY_SHIFT, state).status, CK_OK, "load it again");
  sleep_ticks(3);
  check_eq(g_sleeper_stage, 2, "reloaded, it went on after its block");
  check_eq(g_sleeper_status, CK_OK, "with CK_OK");
  drain();
}

// Priorities above a kernel's maximum are refused, by whoever asks; the new calls
// refuse bad arguments without changing anything.
volatile int32_t g_b_results[6];
volatile uint32_t g_b_done;

void b_asks(uint32_t) {
  const uint32_t self = self_thread();
  g_b_results[0] = ak::set_priority(self, 11);
  g_b_results[1] = ak::set_priority(self, 10);
  ck_kernel_stats ks;
  g_b_results[2] = ak::kernel_stats(g_srm_kernel, &ks);  // the first kernel's: not B's to see
  g_b_results[3] = ak::kernel_stats(0, &ks);
  g_b_results[4] = ak::set_cpu(0, 100, 31);
  g_b_results[5] = ak::wake(g_srm_thread);
  g_b_done = 1;
}

uint32_t digest() {
  const ak::CallResult r = ak::query(CK_QUERY_DIGEST);
  check_eq(r.status, CK_OK, "the caches are consistent");
  return r.value;
}

void priority_limits() {
  uint32_t b_home;
  const uint32_t b = start_kernel_b(50, 10, &b_home);
  ck_thread_state s = thread_state(spinner, 0, 1);
  check_eq(ak::load_thread(b_home, 0, 11 << CK_PRIORITY_SHIFT, s).status, CK_E_PRIORITY,
           "the first kernel loading a B thread above B's maximum");
  const uint32_t asker = start_thread(b_home, b_asks, 0, 2, 0);
  check_eq(ak::set_priority(asker, 11), CK_E_PRIORITY, "the first kernel raising it above B's maximum");
  sleep_ticks(5);
  check_eq(g_b_done, 1, "B's thread ran");
  check_eq(g_b_results[0], CK_E_PRIORITY, "B above its maximum");
  check_eq(g_b_results[1], CK_OK, "B at its maximum");
  check_eq(g_b_results[2], CK_E_NOT_OWNER, "B reading the first kernel's statistics");
  check_eq(g_b_results[3], CK_OK, "B reading its own statistics");
  check_eq(g_b_results[4], CK_E_NOT_SRM, "B granting itself the processor");
  check_eq(g_b_results[5], CK_E_NOT_OWNER, "B waking the first kernel's thread");

  const uint32_t self = g_info->thread;
  const uint32_t before = digest();
  struct Case {
    const char* what;
    int32_t status;
    int32_t expected;
  };
  const Case cases[] = {
      {"block a space id", ak::block(g_info->space, 0), CK_E_INVALID_ID},
      {"wake a never-issued id", ak::wake(0x80000000), CK_E_INVALID_ID},
      {"wake a stale thread id", ak::wake(asker), CK_E_STALE_ID},
      {"thread statistics into kernel memory",
       ak::call(CK_THREAD_STATS, self, 0, 0, 0, reinterpret_cast<void*>(0x2000)).status, CK_E_POINTER},
      {"kernel statistics to nowhere", ak::call(CK_KERNEL_STATS, 0, 0, 0, 0, nullptr).status, CK_E_POINTER},
      {"statistics of a stale thread", ak::call(CK_THREAD_STATS, asker, 0, 0, 0, &s).status, CK_E_STALE_ID},
      {"priority above the maximum", ak::set_priority(self, 32), CK_E_ARGUMENT},
  };
  for (const Case& c : cases) check_eq(static_cast<uint32_t>(c.status), static_cast<uint32_t>(c.expected), c.what);
  check_eq(digest(), before, "the caches are unchanged");
  stop_kernel_b(b);
}

}  // namespace

int ak_main(const ck_boot_info& info) {
  g_info = &info;
  g_srm_kernel = info.kernel;
  g_srm_thread = info.thread;
  g_tick_ns = ak::query(CK_QUERY_TICK_NS).value;
  ak::set_exception_handler(&g_handler);
  // The main thread directs: above every thread it starts.
  check_eq(ak::set_priority(info.thread, 30), CK_OK, "raise the main thread");
  static constexpr ak::Scenario kScenarios[] = {
      {"round_robin", round_robin},           {"cpu_share", cpu_share},
      {"locked_scheduler", locked_scheduler}, {"unload_blocked", unload_blocked},
      {"priority_limits", priority_limits},
  };
  return ak::run_scenario(kScenarios);
}
