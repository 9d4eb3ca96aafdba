// ak-mp3d's threads (team.h).
#include "team.h"

#include "libak.h"

namespace mp3d_ak {

namespace {

ak::ThreadStacks g_stacks[Team::kMaxWorkers];
Team* g_team;

}  // namespace

void Team::entry(uint32_t argument) { g_team->work(argument); }

bool Team::run(uint32_t workers, uint32_t steps, AfterStep after_step) {
  workers_ = workers < kMaxWorkers ? workers : kMaxWorkers;
  steps_ = steps;
  after_step_ = after_step;
  waiter_ = ak::query(CK_QUERY_SELF_THREAD).value;
  remaining_ = workers_;
  started_ = 0;
  g_team = this;
  for (uint32_t i = 0; i < workers_; ++i) {
    progress_[i] = 0;
    const uint32_t handle = threads_.spawn(&Team::entry, i, g_stacks[i], kWorkerPriority);
    if (handle == ak::ThreadLibrary::kMaxThreads) return false;
    ids_[i] = threads_.id(handle);
  }
  barrier_.configure(workers_, ids_);
  started_ = 1;
  for (uint32_t i = 0; i < workers_; ++i) ak::wake(ids_[i]);
  while (remaining_ != 0) ak::block_self(50 * 1000 * 1000);
  // Each worker unloads itself after its last wake-up of this thread: wait until all
  // have, so that their stacks can serve the next run.
  for (uint32_t i = 0; i < workers_; ++i) {
    ck_thread_stats stats;
    while (ak::thread_stats(ids_[i], &stats) == CK_OK) ak::block_self(1000 * 1000);
  }
  return true;
}

void Team::work(uint32_t self) {
  while (started_ == 0) ak::block_self(10 * 1000 * 1000);  // until every worker's id is known
  const uint32_t cells = mp3d::cell_count(sim_.params());
  const uint32_t first = cells * self / workers_, end = cells * (self + 1) / workers_;
  for (uint32_t step = 0; step < steps_; ++step) {
    for (uint32_t lane = self; lane < mp3d::kLanes; lane += workers_) {
      sim_.move(lane);
      progress_[self] = progress_[self] + 1;
    }
    barrier_.arrive(self);
    sim_.reduce(first, end);
    progress_[self] = progress_[self] + 1;
    barrier_.arrive(self);
    if (self == 0) {
      sim_.end_step();
      if (after_step_ != nullptr) after_step_(sim_.step());
    }
    barrier_.arrive(self);
  }
  if (fetch_add(&remaining_, static_cast<uint32_t>(-1)) == 1) ak::wake(waiter_);
}

void Scheduler::reschedule() {
  if (!team_.running()) {
    boosted_ = Team::kMaxWorkers;  // the next run's workers start level
    return;
  }
  uint32_t slowest = 0;
  for (uint32_t i = 1; i < team_.workers(); ++i)
    if (team_.progress(i) < team_.progress(slowest)) slowest = i;
  if (slowest == boosted_) return;
  if (boosted_ < team_.workers()) ak::set_priority(team_.thread(boosted_), Team::kWorkerPriority);
  ak::set_priority(team_.thread(slowest), Team::kWorkerPriority + 1);
  boosted_ = slowest;
}

}  // namespace mp3d_ak
