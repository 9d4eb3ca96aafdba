// What a thread is doing (paper §2.3): one explicit state in place of a set of flags.
// Two independent parts: whether it may run (ready, blocked in one of three ways, or
// halted) and which of its contexts runs (its own, its signal function, its kernel's
// exception handler, or the handler over its signal function). Every legal transition
// is a function here; an illegal one is a broken invariant (CK_ASSERT). The run queue
// holds exactly the Ready threads; the invariant checker (invariants.cpp) checks it.
#pragma once

#include "assert.h"
#include "lib/types.h"

namespace ck {

enum class Activity : u8 {
  Ready,          // on the run queue (or running)
  Blocked,        // blocked by another thread's CK_BLOCK
  BlockedSelf,    // in its own CK_BLOCK, which returns when it is woken
  WaitingSignal,  // in CK_WAIT_SIGNAL
  Halted,         // faulted with nowhere to go and no room to say so: until unloaded
};

enum class Running : u8 {
  Own,            // its own code
  Signal,         // its signal function (its own state kept to return to)
  Handler,        // its kernel's exception handler, for its own code
  SignalHandler,  // its kernel's exception handler, for its signal function
};

class ThreadState {
 public:
  Activity activity() const { return activity_; }
  Running running() const { return running_; }

  bool ready() const { return activity_ == Activity::Ready; }
  bool halted() const { return activity_ == Activity::Halted; }
  bool blocked() const {
    return activity_ == Activity::Blocked || activity_ == Activity::BlockedSelf || activity_ == Activity::WaitingSignal;
  }
  bool in_exception() const { return running_ == Running::Handler || running_ == Running::SignalHandler; }
  bool in_signal() const { return running_ == Running::Signal || running_ == Running::SignalHandler; }

  // Ready -> Blocked / BlockedSelf / WaitingSignal.
  void block(bool self) { become(Activity::Ready, self ? Activity::BlockedSelf : Activity::Blocked); }
  void wait_signal() { become(Activity::Ready, Activity::WaitingSignal); }
  // Any blocked state -> Ready.
  void unblock() {
    CK_ASSERT(blocked());
    activity_ = Activity::Ready;
  }
  // Ready -> Halted (only a thread that was running faults).
  void halt() { become(Activity::Ready, Activity::Halted); }

  // Own -> Signal, and back.
  void enter_signal() { run(Running::Own, Running::Signal); }
  void leave_signal() { run(Running::Signal, Running::Own); }
  // Own -> Handler or Signal -> SignalHandler, and back.
  void enter_handler() {
    CK_ASSERT(!in_exception());
    running_ = running_ == Running::Own ? Running::Handler : Running::SignalHandler;
  }
  void leave_handler() {
    CK_ASSERT(in_exception());
    running_ = running_ == Running::Handler ? Running::Own : Running::Signal;
  }

 private:
  friend struct FastPathLayout;  // the entry path changes running_ itself (calls.cpp)
  void become(Activity from, Activity to) {
    CK_ASSERT(activity_ == from);
    activity_ = to;
  }
  void run(Running from, Running to) {
    CK_ASSERT(running_ == from);
    running_ = to;
  }

  Activity activity_ = Activity::Ready;
  Running running_ = Running::Own;
};

}  // namespace ck
