// Sending a signal to a process (signal_post.h).
#include "signal_post.h"

#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "process_end.h"
#include "process_threads.h"
#include "signal_delivery.h"

namespace unixemu {

namespace abi = linux_abi;

DefaultAction default_action(uint32_t signal) {
  switch (signal) {
    case abi::kSIGQUIT:
    case abi::kSIGILL:
    case abi::kSIGTRAP:
    case abi::kSIGABRT:
    case abi::kSIGBUS:
    case abi::kSIGFPE:
    case abi::kSIGSEGV:
    case abi::kSIGXCPU:
    case abi::kSIGXFSZ:
    case abi::kSIGSYS:
      return DefaultAction::Core;
    case abi::kSIGCHLD:
    case abi::kSIGURG:
    case abi::kSIGWINCH:
      return DefaultAction::Ignore;
    case abi::kSIGCONT:
      return DefaultAction::Continue;
    case abi::kSIGSTOP:
    case abi::kSIGTSTP:
    case abi::kSIGTTIN:
    case abi::kSIGTTOU:
      return DefaultAction::Stop;
    default:
      return DefaultAction::Terminate;  // SIGHUP, SIGINT, SIGKILL, SIGTERM, SIGUSR1, ..., 32-64
  }
}

Delivery delivery_of(const Process& target, uint32_t signal) {
  if (target.state != ProcessState::Running) return Delivery::Dropped;  // a zombie
  const uint64_t bit = 1ull << (signal - 1);
  const bool catchable = signal != abi::kSIGKILL && signal != abi::kSIGSTOP;
  const uint32_t handler = ck::load_be32(target.group().actions[signal - 1]);
  // A blocked signal waits whatever its action (Linux's sig_ignored: an ignored one too,
  // until sigaction sets SIG_IGN again or the mask lets it go), for init as well.
  if (catchable && (target.signal_mask & bit) != 0) return Delivery::Pending;
  // init takes only the signals it catches (Linux's unkillable init), SIGKILL included.
  if (target.tgid() == kInitPid && (handler == abi::kSIG_DFL || !catchable)) return Delivery::Dropped;
  if (catchable && handler == abi::kSIG_IGN) return Delivery::Dropped;
  if (catchable && handler != abi::kSIG_DFL) return Delivery::Pending;
  switch (default_action(signal)) {
    case DefaultAction::Ignore:
    case DefaultAction::Continue:
      return Delivery::Dropped;
    case DefaultAction::Stop:
      return Delivery::Pending;
    case DefaultAction::Terminate:
    case DefaultAction::Core:
      break;
  }
  return Delivery::Ends;
}

void post_signal(Process& target, uint32_t signal, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2) {
  Process& leader = target.group();
  if (leader.state != ProcessState::Running) return;
  Process* t = signal_thread(leader, signal);
  if (t != nullptr)
    post_thread_signal(*t, signal, code, w0, w1, w2);
  else
    post_shared_signal(leader, signal, code, w0, w1, w2);
}

void post_shared_signal(Process& leader, uint32_t signal, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2) {
  if (signal == abi::kSIGCONT) continue_process(leader);
  if (default_action(signal) == DefaultAction::Stop) drop_pending_continue(leader);
  // Blocked by every thread: pending whatever its action (init's default ones dropped).
  const uint32_t handler = ck::load_be32(leader.actions[signal - 1]);
  if (leader.pid == kInitPid && handler == abi::kSIG_DFL) return;
  record_shared_signal(leader, signal, code, w0, w1, w2);
  // Its threads waiting for signals (sigtimedwait, sigsuspend) look again.
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& t = processes().slot(i);
    if (t.state == ProcessState::Running && &t.group() == &leader && t.wait.kind == WaitKind::Signal) wake_process(t);
  }
}

void post_thread_signal(Process& target, uint32_t signal, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2) {
  if (target.state != ProcessState::Running) return;
  if (signal == abi::kSIGCONT) continue_process(target);
  if (default_action(signal) == DefaultAction::Stop) drop_pending_continue(target);
  switch (delivery_of(target, signal)) {
    case Delivery::Ends:
      terminate_process(target, signal);
      return;
    case Delivery::Pending:
      record_signal(target, signal, code, w0, w1, w2);
      // Not blocked: acted on now. sigsuspend, pause and sigtimedwait look again at
      // whatever came.
      if (next_signal(target) != 0 || target.wait.kind == WaitKind::Signal) interrupt_process(target);
      return;
    case Delivery::Dropped:
      return;
  }
}

bool post_signal_to_self(Process& p, uint32_t signal, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2) {
  if (signal == abi::kSIGCONT) continue_process(p);
  if (default_action(signal) == DefaultAction::Stop) drop_pending_continue(p);
  switch (delivery_of(p, signal)) {
    case Delivery::Ends:
      return true;
    case Delivery::Pending:
      record_signal(p, signal, code, w0, w1, w2);
      return false;
    case Delivery::Dropped:
      return false;
  }
  return false;
}

}  // namespace unixemu
