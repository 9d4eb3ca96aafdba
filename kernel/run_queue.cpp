// The run queue (run_queue.h).
#include "run_queue.h"

namespace ck {

void RunQueue::push_back(Thread& t) {
  if (head_ == nullptr) {
    t.next = t.prev = &t;
    head_ = &t;
  } else {
    Thread* back = head_->prev;
    t.prev = back;
    t.next = head_;
    back->next = &t;
    head_->prev = &t;
  }
  size_ += 1;
}

void RunQueue::remove(Thread& t) {
  if (t.next == &t) {
    head_ = nullptr;
  } else {
    t.prev->next = t.next;
    t.next->prev = t.prev;
    if (head_ == &t) head_ = t.next;
  }
  t.next = t.prev = nullptr;
  size_ -= 1;
}

void RunQueue::rotate() {
  if (head_ != nullptr) head_ = head_->next;
}

}  // namespace ck
