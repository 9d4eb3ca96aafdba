// ak-mp3d's threads (issue 19 item 4; paper §3's processing library): T workers from
// libak's thread library sweep the lanes (lane l is worker l mod T's) and then share out
// the cells, with a barrier between the phases; worker 0 closes each step. A scheduling
// thread of the kernel's own (libak's SchedulingThread, locked, above the workers) wakes
// every two ticks and gives the worker furthest behind in the current phase one priority
// level more, so that the barrier waits less for it. Results are the same for any T: a
// lane is always swept by one thread in order, and a cell's reduction is independent.
#pragma once

#include <stdint.h>

#include "simulation.h"
#include "sync.h"
#include "threads.h"

namespace mp3d_ak {

class Team {
 public:
  static constexpr uint32_t kMaxWorkers = 4;
  static constexpr uint32_t kWorkerPriority = 10;
  // After each step, in worker 0 with the others waiting: the step just done (1..).
  using AfterStep = void (*)(uint32_t step);

  Team(ak::ThreadLibrary& threads, mp3d::Simulation& sim) : threads_(threads), sim_(sim) {}
  // Runs `steps` steps on `workers` threads; the caller waits until they are done.
  // False when the threads could not be started.
  bool run(uint32_t workers, uint32_t steps, AfterStep after_step);
  // The scheduling thread's view: what each worker has done (lanes and cell ranges).
  uint32_t progress(uint32_t worker) const { return progress_[worker]; }
  uint32_t workers() const { return workers_; }
  ck_id thread(uint32_t worker) const { return ids_[worker]; }
  bool running() const { return remaining_ != 0; }

 private:
  static void entry(uint32_t argument);
  void work(uint32_t self);

  ak::ThreadLibrary& threads_;
  mp3d::Simulation& sim_;
  AfterStep after_step_ = nullptr;
  uint32_t workers_ = 0, steps_ = 0;
  ck_id ids_[kMaxWorkers] = {};
  ck_id waiter_ = 0;
  volatile uint32_t remaining_ = 0;
  volatile uint32_t started_ = 0;
  volatile uint32_t progress_[kMaxWorkers] = {};
  Barrier barrier_;
};

// The kernel's scheduling thread (see above).
class Scheduler final : public ak::SchedulingThread {
 public:
  explicit Scheduler(const Team& team) : ak::SchedulingThread(2), team_(team) {}

 protected:
  void reschedule() override;

 private:
  const Team& team_;
  uint32_t boosted_ = Team::kMaxWorkers;
};

}  // namespace mp3d_ak
