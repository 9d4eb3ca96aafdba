// Processor accounting (cpu_share.h).
#include "cpu_share.h"

namespace ck {

void ShareClock::start(u64 now) {
  *this = ShareClock();
  started_[0] = now;
}

void ShareClock::advance(u64 now) {
  current_ = (current_ + 1) % kShareBuckets;
  started_[current_] = now;
  if (used_ < kShareBuckets) used_ += 1;
}

u64 ShareClock::window_start() const {
  // The oldest bucket in use follows the current one around the ring.
  const u32 oldest = (current_ + kShareBuckets + 1 - used_) % kShareBuckets;
  return started_[oldest];
}

u32 ShareWindow::permille(const ShareClock& clock, u64 now, u64 more) const {
  const u64 start = clock.window_start();
  if (now <= start) return 0;
  u64 charged = more;
  for (u64 c : charged_) charged += c;
  return static_cast<u32>(charged * 1000 / (now - start));
}

}  // namespace ck
