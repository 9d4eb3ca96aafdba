// The emulator's scheduling thread (scheduling_thread.h).
#include "scheduling_thread.h"

#include "libak.h"
#include "process.h"
#include "scheduler.h"
#include "threads.h"

namespace unixemu {

static_assert(Scheduler::kSlots == ProcessTable::kMax, "one scheduling record a process slot");

namespace {

// The rescheduling interval: 30 ms of the clock (at least a tick).
constexpr uint32_t kPeriodNs = 30u * 1000 * 1000;

class EmulatorScheduling final : public ak::SchedulingThread {
 public:
  explicit EmulatorScheduling(uint32_t period_ticks) : ak::SchedulingThread(period_ticks) {}

 protected:
  // Runs without the emulator's lock (scheduler.h): it reads each slot's state and
  // thread id once, and a thread that left meanwhile answers CK_E_STALE_ID.
  void reschedule() override {
    ThreadSample samples[Scheduler::kSlots];
    uint32_t count = 0;
    // For each loaded thread (a process's threads each have a slot: process_threads.h).
    for (uint32_t i = 0; i < ProcessTable::kMax && count < Scheduler::kSlots; ++i) {
      const Process& p = processes().slot(i);
      const ck_id thread = *static_cast<const volatile ck_id*>(&p.thread);
      if (p.state != ProcessState::Running || thread == 0) continue;
      ck_thread_stats stats{};
      if (ak::thread_stats(thread, &stats) != CK_OK) continue;
      samples[count++] = ThreadSample{.slot = i, .thread = thread, .run_ns = stats.run_ns, .priority = stats.priority};
    }
    const uint32_t now = ak::now();
    const uint32_t elapsed = now - last_;  // the 32-bit clock wraps; a period is far shorter
    last_ = now;
    uint32_t next[Scheduler::kSlots];
    scheduler().plan(samples, count, elapsed, next);
    for (uint32_t i = 0; i < count; ++i)
      if (next[i] != samples[i].priority) ak::set_priority(samples[i].thread, next[i]);
  }

 private:
  uint32_t last_ = ak::now();
};

ak::ThreadStacks g_stacks;

}  // namespace

bool start_scheduling(ck_id first_thread, ck_id space) {
  ck_kernel_stats kernel{};
  const uint32_t ceiling = ak::kernel_stats(0, &kernel) == CK_OK ? kernel.max_priority : 0;
  scheduler().set_levels(levels_for(ceiling));
  const SchedulingLevels& levels = scheduler().levels();
  ak::set_priority(first_thread, levels.emulator);
  const uint32_t tick_ns = ak::query(CK_QUERY_TICK_NS).value;
  const uint32_t ticks = tick_ns == 0 || kPeriodNs / tick_ns == 0 ? 1 : kPeriodNs / tick_ns;
  static EmulatorScheduling thread(ticks);
  const int32_t s = thread.start(space, g_stacks, levels.emulator, 0);
  if (s != CK_OK) ak::print("unix: the scheduling thread was not loaded (status {}); priorities stay fixed\n", s);
  return s == CK_OK;
}

}  // namespace unixemu
