// Acting on signals (signal_delivery.h).
#include "signal_delivery.h"

#include "emulator.h"
#include "emulator_lock.h"
#include "interruption.h"
#include "lib/endian.h"
#include "libak.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "orphaned_groups.h"
#include "physical_memory.h"
#include "process_end.h"
#include "signal_frame.h"
#include "signal_post.h"
#include "signal_queue.h"
#include "sigreturn_page.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;
namespace sf = signal_frame;

namespace {

constexpr uint64_t bit(uint32_t signal) { return 1ull << (signal - 1); }

QueueOwner own_queue(const Process& p) { return {.slot = static_cast<uint16_t>(processes().index_of(p))}; }
QueueOwner shared_queue(const Process& leader) {
  return {.slot = static_cast<uint16_t>(processes().index_of(leader)), .shared = true};
}
constexpr uint64_t kNeverBlocked = bit(abi::kSIGKILL) | bit(abi::kSIGSTOP);
constexpr uint64_t kSynchronous = bit(abi::kSIGSEGV) | bit(abi::kSIGBUS) | bit(abi::kSIGILL) | bit(abi::kSIGTRAP) |
                                  bit(abi::kSIGFPE) | bit(abi::kSIGSYS);

// The lowest signal in `set` (0: none); a 32-bit count a half (a 64-bit one is a libgcc call).
uint32_t lowest(uint64_t set) {
  const auto low = static_cast<uint32_t>(set);
  if (low != 0) return static_cast<uint32_t>(__builtin_ctz(low)) + 1;
  const auto high = static_cast<uint32_t>(set >> 32);
  return high == 0 ? 0 : static_cast<uint32_t>(__builtin_ctz(high)) + 33;
}

// Linux's on_sig_stack: the stack grows down, so its top belongs to it and its base not.
bool on_altstack(const Process& p, uint32_t sp) {
  return p.sig.altstack_size != 0 && sp > p.sig.altstack_sp && sp - p.sig.altstack_sp <= p.sig.altstack_size;
}

// The thread state acting on signals reads and changes: the state the thread was written
// back with, or, in place (its handler acting on its own system call's signals), the
// registers of its exception frame and the FPU of what the handler interrupted, read
// (only when needed: fpu_known) and set through the Cache Kernel (CK_EXCEPTION_FPU).
class ThreadView {
 public:
  explicit ThreadView(ck_thread_state& s) : regs(s.regs), fpu(s.fpu), pending(s.pending), fpu_known(true) {}
  ThreadView(ck_registers& r, ck_fpu_registers& f) : regs(r), fpu(f), pending(nullptr), fpu_known(false) {}
  ck_registers& regs;
  ck_fpu_registers& fpu;
  ck_pending_write* pending;  // CK_PENDING_WRITES writes a 68040 access error left; null in place
  bool fpu_known;             // `fpu` holds the interrupted context's FPU (in place: read, or a frame's)
  bool fpu_changed = false;   // by a sigreturn: in place, set in the Cache Kernel before the resume
  // In place, a plain sigreturn's frame at `restore_frame` gave FP0-FP1 and the control
  // registers (in `fpu`); FP2-FP7 are the live ones, not read. Either the restore stub
  // loads them at the resume (act_in_place) or read_fpu reads the rest.
  uint32_t restore_frame = 0;
  bool in_place() const { return pending == nullptr; }
  // In place, the interrupted context's FPU from the Cache Kernel, once (some 400
  // instructions a call), a plain sigreturn's registers over it.
  bool read_fpu() {
    if (fpu_known) return true;
    if (restore_frame == 0) {
      if (ak::exception_fpu(&fpu) != CK_OK) return false;
    } else {
      ck_fpu_registers live;
      if (ak::exception_fpu(&live) != CK_OK) return false;
      fpu_changed = !sf::same_plain_fpu(fpu, live);
      __builtin_memcpy(fpu.fp[2], live.fp[2], sizeof fpu.fp - sizeof fpu.fp[0] * 2);
      restore_frame = 0;
    }
    fpu_known = true;
    return true;
  }
};

// The frame of a caught signal on the stack, the thread set to enter its handler, the
// mask as Linux's signal_delivered leaves it. False when the frame cannot be written (the
// process is then killed with SIGSEGV, as Linux's force_sigsegv does).
bool enter_handler(Process& p, ThreadView& s, uint32_t signal, const PendingInfo& pi, const uint8_t* action) {
  const uint32_t handler = ck::load_be32(action + abi::kSaHandler);
  const uint32_t flags = ck::load_be32(action + abi::kSaFlags);
  const uint64_t sa_mask =
      static_cast<uint64_t>(ck::load_be32(action + abi::kSaMask + 4)) << 32 | ck::load_be32(action + abi::kSaMask);
  const bool rt = (flags & abi::kSA_SIGINFO) != 0;
  const uint32_t usp = s.regs.a[7];
  // uc_stack records the alternate stack as it is before this frame (Linux's
  // __save_altstack), SS_ONSTACK when the interrupted code runs on it.
  const sf::AltStack recorded{.sp = p.sig.altstack_sp,
                              .flags = (p.sig.altstack_size == 0 ? abi::kSS_DISABLE
                                        : on_altstack(p, usp)    ? abi::kSS_ONSTACK
                                                                 : 0) |
                                       (p.sig.altstack_autodisarm ? abi::kSS_AUTODISARM : 0),
                              .size = p.sig.altstack_size};
  uint32_t sp = usp;
  if ((flags & abi::kSA_ONSTACK) != 0 && p.sig.altstack_size != 0 && !on_altstack(p, usp))
    sp = p.sig.altstack_sp + p.sig.altstack_size;
  const sf::SigInfo info{.signo = signal, .code = pi.code, .word = {pi.word[0], pi.word[1], pi.word[2]}};
  // The handler returns through the trampolines' page (sigreturn_page.h), whose
  // instructions were synced once; without it, through the frame's retcode, synced below.
  const uint32_t trampoline = sigreturn_page::trampoline(rt);
  // In place the FPU is the thread's own, live (the handler leaves it alone: kAkHandlerNoFpu)
  // and unread: the page's entry stub stores it into the frame before the handler runs.
  const bool by_stub = trampoline != 0 && !s.fpu_known && s.restore_frame == 0;
  if (!by_stub && !s.read_fpu()) return false;
  const sf::Context c{.regs = s.regs,
                      .fpu = s.fpu,
                      .fpu_saved = true,
                      .formatvec = p.sig.formatvec,
                      .mask = p.sig.mask_saved ? p.sig.saved_mask : p.signal_mask,
                      .return_to = trampoline,
                      .stub_handler = by_stub ? handler : 0};
  const uint32_t frame_va = sf::frame_address(sp, rt);
  const uint32_t frame_end = frame_va + sf::frame_bytes(rt);
  uint32_t pa;
  if (page_down(frame_va) == page_down(frame_end - 1)) {
    // In one page (nearly always): built where it goes, no copy on the emulator's stack
    // first, and that page's frame, found once, is the one whose instructions are synced.
    if (resident_frame(p, frame_va, Touch::Write, &pa) != 0) return false;
    sf::build(rt, frame_va, signal, c, info, recorded, memory().at(pa) + (frame_va & (kPageBytes - 1)));
    if (trampoline == 0) memory().sync_code(pa);
  } else {
    uint8_t frame[sf::kRtFrameBytes];
    sf::build(rt, frame_va, signal, c, info, recorded, frame);
    if (copy_out(p, frame_va, frame, sf::frame_bytes(rt)) != 0) return false;
    // A trampoline executed from the stack: instruction fetches must see it (the
    // 68040's caches do not snoop).
    if (trampoline == 0)
      for (uint32_t page = page_down(frame_va); page < frame_end; page += kPageBytes)
        if (resident_frame(p, page, Touch::Read, &pa) == 0) memory().sync_code(pa);
  }
  if (rt && p.sig.altstack_autodisarm && recorded.flags != abi::kSS_DISABLE) {
    p.sig.altstack_sp = p.sig.altstack_size = 0;
    p.sig.altstack_autodisarm = false;
  }
  // A frame at or above the held one's place: that frame was left (siglongjmp), and its
  // writes with it.
  if (p.sig.held_frame != 0 && frame_va >= p.sig.held_frame) p.sig.held_frame = 0;
  if (p.sig.held_frame == 0 && !s.in_place() && s.pending[0].size != 0) {
    p.sig.held_frame = frame_va;
    for (uint32_t i = 0; i < CK_PENDING_WRITES; ++i) {
      p.sig.held[i] = s.pending[i];
      s.pending[i] = ck_pending_write{};
    }
  }
  s.regs.a[7] = frame_va;
  s.regs.pc = by_stub ? sigreturn_page::entry(rt) : handler;
  p.signal_mask |= sa_mask | ((flags & abi::kSA_NODEFER) != 0 ? 0 : bit(signal));
  p.signal_mask &= ~kNeverBlocked;
  p.sig.mask_saved = false;
  p.sig.formatvec = 0;
  if ((flags & abi::kSA_RESETHAND) != 0) ck::store_be32(p.group().actions[signal - 1] + abi::kSaHandler, abi::kSIG_DFL);
  return true;
}

// sigreturn and rt_sigreturn: the frame below the stack pointer (the handler's return
// popped pretcode) gives back the registers, the FPU, the mask and (rt) the alternate
// stack. False for a frame that cannot be read or that Linux refuses (it sends SIGSEGV).
bool sigreturn(Process& p, ThreadView& s) {
  const bool rt = p.sig.sigreturn == 2;
  p.sig.sigreturn = 0;
  const uint32_t frame_va = s.regs.a[7] - 4;
  uint64_t mask;
  sf::AltStack altstack{};
  uint32_t pa;
  uint8_t copy[sf::kRtFrameBytes];
  const uint8_t* frame;
  if (page_down(frame_va) == page_down(frame_va + sf::frame_bytes(rt) - 1)) {
    // In one page (nearly always): parsed where it lies, not copied first (a frame that
    // would wrap past the top of the address space spans two pages: copy_in refuses it).
    if (resident_frame(p, frame_va, Touch::Read, &pa) != 0) return false;
    frame = memory().at(pa) + (frame_va & (kPageBytes - 1));
  } else {
    if (copy_in(p, frame_va, copy, sf::frame_bytes(rt)) != 0) return false;
    frame = copy;
  }
  // In place, a plain frame with an idle fsave frame gives FP0-FP1 and the control
  // registers: they are kept in `s` unread (ThreadView::restore_frame) for the restore
  // stub or a later read. Another plain frame (a reset) needs FP2-FP7 as they are: read.
  // A frame whose FPU registers are those the FPU holds (a handler that did no floating
  // point) leaves the FPU as it is: not set again in the Cache Kernel.
  const bool from_frame = !rt && s.in_place() && !s.fpu_known && sf::plain_frame_saves_fpu(frame);
  if (!rt && !from_frame && !s.read_fpu()) {
    p.group().death_reason = "its FPU registers could not be read";
    return false;
  }
  const bool fpu_kept = !rt && s.in_place() && !from_frame && sf::plain_frame_keeps_fpu(frame, s.fpu);
  if (!sf::parse_into(rt, frame, s.regs, s.fpu, &mask, &altstack)) return false;
  if (from_frame) {
    s.restore_frame = frame_va;
  } else {
    s.fpu_known = true;  // a plain frame's over the FPU read, an rt frame's whole
    s.fpu_changed = !fpu_kept;
  }
  if (p.sig.held_frame != 0 && p.sig.held_frame == frame_va && !s.in_place()) {
    for (uint32_t i = 0; i < CK_PENDING_WRITES; ++i) s.pending[i] = p.sig.held[i];
    p.sig.held_frame = 0;
  }
  p.signal_mask = mask & ~kNeverBlocked;
  p.sig.restart = 0;  // Linux: a restart pending across the handler ends with -EINTR
  // Linux's restore_altstack: refused (silently) while the stack pointer is on the
  // alternate stack, unless SS_AUTODISARM took it away meanwhile.
  if (rt && !on_altstack(p, s.regs.a[7])) {
    const uint32_t mode = altstack.flags & ~abi::kSS_AUTODISARM;
    if (mode == abi::kSS_DISABLE) {
      p.sig.altstack_sp = p.sig.altstack_size = 0;
      p.sig.altstack_autodisarm = false;
    } else if ((mode == 0 || mode == abi::kSS_ONSTACK) && altstack.size >= abi::kMINSIGSTKSZ) {
      p.sig.altstack_sp = altstack.sp;
      p.sig.altstack_size = altstack.size;
      p.sig.altstack_autodisarm = (altstack.flags & abi::kSS_AUTODISARM) != 0;
    }
  }
  return true;
}

}  // namespace

uint64_t pending_set(const Process& p) { return p.pending_signals | p.group().shared_signals; }

// Queued instances of a real-time signal wait behind the pending set's one: taking it
// brings the oldest of them forward, and the signal stays pending until none is left.
PendingInfo take_pending(Process& p, uint32_t signal) {
  if ((p.pending_signals & bit(signal)) != 0) {
    const PendingInfo taken = p.pending_info[signal - 1];
    if (!signal_queue().pop(own_queue(p), signal, &p.pending_info[signal - 1])) p.pending_signals &= ~bit(signal);
    return taken;
  }
  Process& leader = p.group();
  const PendingInfo taken = leader.shared_info[signal - 1];
  if (!signal_queue().pop(shared_queue(leader), signal, &leader.shared_info[signal - 1]))
    leader.shared_signals &= ~bit(signal);
  return taken;
}

bool record_shared_signal(Process& p, uint32_t signal, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2) {
  if (signal == 0 || signal > abi::kSignals) return false;
  Process& leader = p.group();
  const PendingInfo info{.code = code, .word = {w0, w1, w2}};
  if ((leader.shared_signals & bit(signal)) != 0)
    return SignalQueue::queued(signal) && signal_queue().push(shared_queue(leader), signal, info);
  leader.shared_signals |= bit(signal);
  leader.shared_info[signal - 1] = info;
  return true;
}

uint32_t next_signal(const Process& p) {
  const uint64_t ready = pending_set(p) & ~p.signal_mask;
  const uint32_t sync = lowest(ready & kSynchronous);
  return sync != 0 ? sync : lowest(ready);
}

bool record_signal(Process& p, uint32_t signal, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2) {
  if (signal == 0 || signal > abi::kSignals) return false;
  const PendingInfo info{.code = code, .word = {w0, w1, w2}};
  if ((p.pending_signals & bit(signal)) != 0)
    return SignalQueue::queued(signal) && signal_queue().push(own_queue(p), signal, info);
  p.pending_signals |= bit(signal);
  p.pending_info[signal - 1] = info;
  return true;
}

void interrupt_process(Process& target) {
  if (target.state != ProcessState::Running) return;
  // The caller's own process (a parent that killed its child gets SIGCHLD): its call's
  // return acts on it.
  if (target.thread != 0 && target.thread == emulator_lock().holder()) return;
  // A vfork parent waits for its child whatever comes (Linux's wait is killable only).
  if (target.wait.kind != WaitKind::None) {
    if (target.wait.kind != WaitKind::Vfork) wake_process(target);
    return;
  }
  if (target.reading_console && target.thread == 0) {
    // Its read ends (the state it was written back with is the trap's: pc past it, d0
    // the call's number): made again or -EINTR when its signals are acted on.
    target.reading_console = false;
    target.sig.restart = static_cast<uint32_t>(abi::kERESTARTSYS);
    target.sig.restart_number = target.saved.regs.d[0];
    target.saved.regs.d[0] = static_cast<uint32_t>(-abi::kEINTR);
    target.thread_written_back = true;
    target.sig.interrupt = true;
    ak::wake(main_thread());
    return;
  }
  if (target.sig.pausing) {
    ak::wake(target.thread);  // its short sleep ends and finds the signal
    return;
  }
  // Written back (displaced): acted on at its reload.
  if (target.thread == 0) {
    target.sig.interrupt = true;
    return;
  }
  if (target.sig.interrupt) return;
  // Running (or waiting for the lock in its handler): written back, then loaded again
  // by the first thread with the signal acted on.
  const ck_id thread = target.thread;
  target.sig.interrupt = true;
  unload_thread_surely(thread);
  drain_ring();
  ak::wake(main_thread());
}

[[noreturn]] void interrupt_self(Process& p) {
  p.sig.interrupt = true;
  emulator_lock().release();
  ak::wake(main_thread());
  for (;;) ak::block_self(0);  // unloaded here by the first thread
}

void unload_interrupted() {
  processes().for_each_used([](Process& p) {
    if (p.state != ProcessState::Running || !p.sig.interrupt || p.thread == 0) return;
    const ck_id thread = p.thread;
    unload_thread_surely(thread);
    drain_ring();
  });
}

namespace {

// The parent of a child that stopped or continued: woken from wait4/waitid, and sent
// SIGCHLD unless its action has SA_NOCLDSTOP.
void tell_parent_of(Process& child, int32_t code, uint32_t status) {
  Process* parent = processes().by_pid(child.group().ppid);
  if (parent == nullptr || parent->state != ProcessState::Running) return;
  wake_child_waiters(*parent);
  if ((ck::load_be32(parent->group().actions[abi::kSIGCHLD - 1] + abi::kSaFlags) & abi::kSA_NOCLDSTOP) != 0) return;
  post_signal(*parent, abi::kSIGCHLD, code, child.tgid(), 0, status);
}

constexpr uint64_t kStopSignals = bit(abi::kSIGSTOP) | bit(abi::kSIGTSTP) | bit(abi::kSIGTTIN) | bit(abi::kSIGTTOU);

// Calls f(t) for each thread of `p`'s process whose thread has not ended.
template <typename F>
void for_each_thread(Process& p, F f) {
  Process& leader = p.group();
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& t = processes().slot(i);
    if (t.state == ProcessState::Running && &t.group() == &leader) f(t);
  }
}

// A stop stops the whole process (Linux's group stop): every thread stays out of the
// Cache Kernel until SIGCONT (a loaded one is unloaded now; a waiting one stays out when
// woken); its parent hears of it once, from the leader.
void stop_process(Process& p, uint32_t signal) {
  for_each_thread(p, [&](Process& t) {
    t.sig.stopped = true;
    if (&t == &p || t.thread == 0 || t.sig.interrupt) return;
    t.sig.interrupt = true;  // written back, then held by reload_displaced
    const ck_id thread = t.thread;
    unload_thread_surely(thread);
    drain_ring();
  });
  Process& leader = p.group();
  leader.sig.stop_signal = static_cast<uint8_t>(signal);
  leader.sig.report_stop = true;
  leader.sig.report_continue = false;
  tell_parent_of(leader, abi::kCLD_STOPPED, signal);
}

}  // namespace

void drop_pending(Process& p, uint64_t signals) {
  for_each_thread(p, [&](Process& t) {
    t.pending_signals &= ~signals;
    signal_queue().drop(own_queue(t), signals);
  });
  p.group().shared_signals &= ~signals;
  signal_queue().drop(shared_queue(p.group()), signals);
}

void continue_process(Process& p) {
  p.group().shared_signals &= ~kStopSignals;
  bool stopped = false;
  for_each_thread(p, [&](Process& t) {
    t.pending_signals &= ~kStopSignals;
    if (!t.sig.stopped) return;
    stopped = true;
    t.sig.stopped = false;
    t.sig.interrupt = true;  // its signals (a restart, handlers that waited) at the reload
  });
  if (!stopped) return;
  Process& leader = p.group();
  leader.sig.report_stop = false;
  leader.sig.report_continue = true;
  tell_parent_of(leader, abi::kCLD_CONTINUED, abi::kSIGCONT);
  ak::wake(main_thread());  // it loads the threads again
}

void drop_pending_continue(Process& p) { drop_pending(p, bit(abi::kSIGCONT)); }

namespace {

enum class Acted {
  Done,        // the signals are acted on: the thread goes on as `s` says
  Ended,       // a signal ended or stopped the process (written back only)
  WrittenBack  // in place: what is left needs the written-back state (a stop, or a death
               // by a default action)
};

// Acts on `p`'s signals on thread state `s`: a sigreturn first, then each signal to act on.
// In place it stops, before touching anything, at the first step only the written-back
// path takes; what it did before stays done (in `s` and in `p`).
Acted act(Process& p, ThreadView& s) {
  if (p.sig.sigreturn != 0) {
    if (!sigreturn(p, s)) {
      if (s.in_place()) exit_process(p, abi::kSIGSEGV);
      terminate_process(p, abi::kSIGSEGV);
      return Acted::Ended;
    }
  }
  for (uint32_t round = 0; round < abi::kSignals; ++round) {
    const uint32_t signal = next_signal(p);
    if (signal == 0) break;
    const uint8_t* action = p.group().actions[signal - 1];
    const uint32_t handler = ck::load_be32(action + abi::kSaHandler);
    const bool catchable = signal != abi::kSIGKILL && signal != abi::kSIGSTOP;
    // init takes only the signals it catches.
    const bool by_default = (!catchable || handler == abi::kSIG_DFL) && p.tgid() != kInitPid;
    if (by_default) {
      const DefaultAction d = default_action(signal);
      // An orphaned group has nobody to continue it: SIGTSTP, SIGTTIN and SIGTTOU are
      // discarded (Linux's get_signal; SIGSTOP is not).
      const bool discarded = d == DefaultAction::Stop && signal != abi::kSIGSTOP && group_orphaned(p.group().pgid);
      if (!discarded && (d == DefaultAction::Stop || d == DefaultAction::Terminate || d == DefaultAction::Core)) {
        if (s.in_place()) return Acted::WrittenBack;
        take_pending(p, signal);
        if (d == DefaultAction::Stop)
          stop_process(p, signal);
        else
          terminate_process(p, signal);
        return Acted::Ended;
      }
    }
    const PendingInfo taken = take_pending(p, signal);
    if (!catchable || handler == abi::kSIG_IGN || handler == abi::kSIG_DFL) continue;
    // A call a signal ended: -EINTR for the first handler unless it has SA_RESTART
    // (ERESTARTSYS) or the call is always made again (ERESTARTNOINTR), else made again
    // when the handler returns.
    if (p.sig.restart != 0) {
      const uint32_t flags = ck::load_be32(action + abi::kSaFlags);
      const bool again = p.sig.restart == static_cast<uint32_t>(abi::kERESTARTNOINTR) ||
                         (p.sig.restart == static_cast<uint32_t>(abi::kERESTARTSYS) && (flags & abi::kSA_RESTART) != 0);
      if (again) {
        s.regs.pc -= 2;
        s.regs.d[0] = p.sig.restart_number;
      } else {
        end_call(p);  // it ends with EINTR: what it kept for a repeat (a sleep's deadline) goes
      }
      p.sig.restart = 0;
    }
    if (!enter_handler(p, s, signal, taken, action)) {
      if (s.in_place()) exit_process(p, abi::kSIGSEGV);
      terminate_process(p, abi::kSIGSEGV);
      return Acted::Ended;
    }
  }
  // No handler ran: an interrupted call is made again, sigsuspend's mask goes back.
  if (p.sig.restart != 0) {
    s.regs.pc -= 2;
    s.regs.d[0] = p.sig.restart_number;
    p.sig.restart = 0;
  }
  if (p.sig.mask_saved) {
    p.signal_mask = p.sig.saved_mask;
    p.sig.mask_saved = false;
  }
  p.sig.formatvec = 0;
  return Acted::Done;
}

}  // namespace

bool act_on_signals(Process& p) {
  p.sig.interrupt = false;
  ThreadView s(p.saved);
  return act(p, s) == Acted::Done;
}

bool act_in_place(Process& p, ck_exception& e) {
  // Another path has the thread already (interrupt_process), or writes held back for a
  // handler's frame (a fault's), which only the written-back state can give back.
  if (p.sig.interrupt || p.sig.stopped || p.sig.held_frame != 0) return false;
  // The interrupted FPU (the thread's own, live: the handler does not use it) is not
  // read through the Cache Kernel on the common paths: a handler's frame gets it from the
  // entry stub (enter_handler), a plain sigreturn's FP0-FP1 and control registers are
  // loaded by the restore stub (below), an rt_sigreturn's frame gives every FPU register
  // (its ucontext holds FP0-FP7 and the control registers, or a null fsave frame: a reset
  // FPU). A refused frame ends the process before anything reads them.
  ck_fpu_registers fpu;
  ThreadView s(e.regs, fpu);
  const Acted acted = act(p, s);
  // A plain sigreturn's FP0-FP1 and control registers, not set yet: loaded by the restore
  // stub when the thread goes on as the sigreturn left it (RTD's displacement fits, the
  // PC is even, as RTD needs it, and the page is there: a sigreturn may come without a
  // signal), else set through the Cache Kernel below.
  if (s.restore_frame != 0) {
    const uint32_t stub = sf::restore_offset(e.regs.a[7] - s.restore_frame);
    if (acted == Acted::Done && stub != 0 && (e.regs.pc & 1) == 0 && sigreturn_page::trampoline(false) != 0) {
      e.regs.a[7] = s.restore_frame + sf::kRestoreSp;
      e.regs.pc = sigreturn_page::kAddress + stub;
    } else if (!s.read_fpu()) {
      ak::print("unix: pid {}: CK_EXCEPTION_FPU refused\n", p.pid);
      p.group().death_reason = "its FPU registers could not be read";
      exit_process(p, abi::kSIGKILL);
    }
  }
  // A sigreturn's FPU, also when the rest is left to the written-back path (which takes
  // the interrupted context's FPU with the frame's registers).
  if (s.fpu_changed && ak::set_exception_fpu(&fpu) != CK_OK) {
    ak::print("unix: pid {}: CK_EXCEPTION_FPU_SET refused\n", p.pid);
    p.group().death_reason = "its FPU registers could not be restored";
    exit_process(p, abi::kSIGKILL);
  }
  return acted == Acted::Done;
}

}  // namespace unixemu
