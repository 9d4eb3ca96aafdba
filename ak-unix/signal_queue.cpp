// Queued real-time signals (signal_queue.h). The pool is small and scanned whole: a
// signal's instances are found in at most kMax steps, with no lists to keep consistent.
// An empty pool (almost always) is not scanned: every signal taken and every process's
// end ask it (a scan is about 600 instructions, which a signal to self paid).
#include "signal_queue.h"

namespace unixemu {

bool SignalQueue::push(QueueOwner owner, uint32_t signal, const PendingInfo& info) {
  if (full()) return false;
  for (Entry& e : entries_) {
    if (e.used) continue;
    e = Entry{
        .used = true, .owner = owner, .signal = static_cast<uint8_t>(signal), .order = next_order_++, .info = info};
    ++used_;
    return true;
  }
  return false;
}

bool SignalQueue::pop(QueueOwner owner, uint32_t signal, PendingInfo* info) {
  if (used_ == 0 || !queued(signal)) return false;  // every signal taken asks: no scan then
  Entry* oldest = nullptr;
  for (Entry& e : entries_) {
    if (!e.used || e.owner != owner || e.signal != signal) continue;
    // Wrap-safe: the order counter may pass 2^32 over a long run.
    if (oldest == nullptr || static_cast<int32_t>(e.order - oldest->order) < 0) oldest = &e;
  }
  if (oldest == nullptr) return false;
  *info = oldest->info;
  oldest->used = false;
  --used_;
  return true;
}

void SignalQueue::drop(QueueOwner owner, uint64_t signals) {
  if (used_ == 0) return;
  for (Entry& e : entries_) {
    if (!e.used || e.owner != owner || (signals & (1ull << (e.signal - 1))) == 0) continue;
    e.used = false;
    --used_;
  }
}

void SignalQueue::drop_slot(uint16_t slot) {
  if (used_ == 0) return;
  for (Entry& e : entries_) {
    if (!e.used || e.owner.slot != slot) continue;
    e.used = false;
    --used_;
  }
}

void SignalQueue::move_slot(uint16_t from, uint16_t to) {
  if (used_ == 0) return;
  for (Entry& e : entries_)
    if (e.used && e.owner.slot == from) e.owner.slot = to;
}

}  // namespace unixemu

namespace unixemu {

namespace {
SignalQueue g_signal_queue;
}

SignalQueue& signal_queue() { return g_signal_queue; }

}  // namespace unixemu
