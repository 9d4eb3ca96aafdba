// The ready threads, in the order they get the processor: round robin, one time slice
// each (paper §4.3: time-sliced scheduling within a priority). Intrusive and
// allocation-free. Pure; host-tested (tests/host/run_queue_test.cpp).
#pragma once

#include "thread.h"

namespace ck {

class RunQueue {
 public:
  bool empty() const { return head_ == nullptr; }
  bool contains(const Thread& t) const { return t.next != nullptr; }
  usize size() const { return size_; }

  // The thread to run now.
  Thread* front() const { return head_; }
  // Appends `t`; it must not be queued already.
  void push_back(Thread& t);
  void remove(Thread& t);
  // The front thread used its slice: it goes to the back.
  void rotate();

 private:
  Thread* head_ = nullptr;  // circular: head_->prev is the back
  usize size_ = 0;
};

}  // namespace ck
