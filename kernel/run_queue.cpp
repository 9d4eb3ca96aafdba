// The run queue (run_queue.h).
#include "run_queue.h"

namespace ck {

Thread* RunQueue::find_front() const {
  if (nonempty_[1] != 0) return heads_[32 + highest(nonempty_[1])];
  if (nonempty_[0] != 0) return heads_[highest(nonempty_[0])];
  return nullptr;
}

void RunQueue::push_back(Thread& t) {
  Thread*& head = heads_[t.level];
  if (head == nullptr) {
    t.next = t.prev = &t;
    head = &t;
    nonempty_[t.level / 32] |= 1u << (t.level % 32);
  } else {
    Thread* back = head->prev;
    t.prev = back;
    t.next = head;
    back->next = &t;
    head->prev = &t;
  }
  // Behind the others of its level: the front only when its level is above the front's.
  if (front_ == nullptr || t.level > front_->level) front_ = &t;
  size_ += 1;
  version_ += 1;
}

void RunQueue::remove(Thread& t) {
  Thread*& head = heads_[t.level];
  if (t.next == &t) {
    head = nullptr;
    nonempty_[t.level / 32] &= ~(1u << (t.level % 32));
  } else {
    t.prev->next = t.next;
    t.next->prev = t.prev;
    if (head == &t) head = t.next;
  }
  t.next = t.prev = nullptr;
  if (front_ == &t) front_ = find_front();
  size_ -= 1;
  version_ += 1;
}

void RunQueue::rotate() {
  if (front_ != nullptr) front_ = heads_[front_->level] = front_->next;
}

void RunQueue::rotate(Thread& t) {
  if (heads_[t.level] != &t) return;
  heads_[t.level] = t.next;
  if (front_ == &t) front_ = t.next;
}

void RunQueue::set_level(Thread& t, u8 level) {
  if (t.level == level) return;
  if (!contains(t)) {
    t.level = level;
    return;
  }
  remove(t);
  t.level = level;
  push_back(t);
}

}  // namespace ck
