// Signal system calls (syscalls.h; issue 18 item 3): sigreturn and rt_sigreturn,
// rt_sigpending and sigpending, rt_sigsuspend, pause, rt_sigtimedwait (+time64) and
// sigaltstack, with Linux's errors. (rt_sigaction and rt_sigprocmask are
// sys_process.cpp's; acting on signals is signal_delivery.h's.)
#include "blocking.h"
#include "emulator.h"
#include "interruption.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "signal_delivery.h"
#include "signal_frame.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr uint64_t bit(uint32_t signal) { return 1ull << (signal - 1); }
constexpr uint64_t kNeverBlocked = bit(abi::kSIGKILL) | bit(abi::kSIGSTOP);

int32_t sigset_in(Process& p, uint32_t va, uint64_t* set) {
  uint8_t raw[8];
  if (const int32_t s = copy_in(p, va, raw, sizeof raw); s != 0) return s;
  *set = static_cast<uint64_t>(ck::load_be32(raw + 4)) << 32 | ck::load_be32(raw);
  return 0;
}

int32_t sigset_out(Process& p, uint32_t va, uint64_t set, uint32_t bytes) {
  uint8_t raw[8];
  ck::store_be32(raw, static_cast<uint32_t>(set));
  ck::store_be32(raw + 4, static_cast<uint32_t>(set >> 32));
  return copy_out(p, va, raw, bytes);
}

// Done on the written-back state (signal_delivery.h): the handler's context knows
// neither the FPU nor, for the plain frame, which registers the frame leaves out.
uint32_t sys_sigreturn(Process& p, const SyscallArgs&) {
  p.sig.sigreturn = 1;
  return 0;
}
uint32_t sys_rt_sigreturn(Process& p, const SyscallArgs&) {
  p.sig.sigreturn = 2;
  return 0;
}

// The pending signals that are blocked (the others are acted on as a call returns).
uint32_t sys_rt_sigpending(Process& p, const SyscallArgs& a) {
  if (a[1] > abi::kSigsetBytes) return error(abi::kEINVAL);
  const int32_t s = sigset_out(p, a[0], pending_set(p) & p.signal_mask, a[1]);
  return s != 0 ? error(-s) : 0;
}
uint32_t sys_sigpending(Process& p, const SyscallArgs& a) {
  const int32_t s = sigset_out(p, a[0], pending_set(p) & p.signal_mask, 4);
  return s != 0 ? error(-s) : 0;
}

// Waits until a signal is acted on (its handler runs, then -EINTR) with `mask` meanwhile.
uint32_t sys_rt_sigsuspend(Process& p, const SyscallArgs& a) {
  if (!p.call_again) {
    if (a[1] != abi::kSigsetBytes) return error(abi::kEINVAL);
    uint64_t mask;
    if (const int32_t s = sigset_in(p, a[0], &mask); s != 0) return error(-s);
    p.sig.saved_mask = p.signal_mask;
    p.sig.mask_saved = true;
    p.signal_mask = mask & ~kNeverBlocked;
    p.call_again = true;
  }
  if (next_signal(p) != 0) {
    end_call(p);
    return error(abi::kERESTARTNOHAND);
  }
  block_process(p, WaitKind::Signal, 0);
}

uint32_t sys_pause(Process& p, const SyscallArgs&) {
  if (next_signal(p) != 0) return error(abi::kERESTARTNOHAND);
  block_process(p, WaitKind::Signal, 0);
}

// rt_sigtimedwait(set, info, timeout, sigsetsize): a pending signal of `set` taken
// without its action, its siginfo copied out; EAGAIN when the timeout passes first,
// EINTR when a signal outside the set is acted on.
uint32_t do_sigtimedwait(Process& p, const SyscallArgs& a, bool wide) {
  if (a[3] != abi::kSigsetBytes) return end_call(p), error(abi::kEINVAL);
  uint64_t set;
  if (const int32_t s = sigset_in(p, a[0], &set); s != 0) return end_call(p), error(-s);
  set &= ~kNeverBlocked;
  uint64_t timeout = ~0ull;
  if (a[2] != 0 && !p.call_again) {
    uint8_t raw[16];
    if (const int32_t s = copy_in(p, a[2], raw, wide ? 16 : 8); s != 0) return error(-s);
    const int64_t seconds =
        wide ? static_cast<int64_t>(static_cast<uint64_t>(ck::load_be32(raw)) << 32 | ck::load_be32(raw + 4))
             : static_cast<int32_t>(ck::load_be32(raw));
    const int32_t nanoseconds = static_cast<int32_t>(ck::load_be32(raw + (wide ? 12 : 4)));
    if (seconds < 0 || nanoseconds < 0 || nanoseconds >= 1000000000) return error(abi::kEINVAL);
    constexpr int64_t kLongest = 0x7fffffffll * 4;
    timeout = static_cast<uint64_t>(seconds < kLongest ? seconds : kLongest) * 1000000000u +
              static_cast<uint32_t>(nanoseconds);
  }
  const uint64_t ready = pending_set(p) & set;
  if (ready != 0) {
    end_call(p);
    const uint32_t signal = static_cast<uint32_t>(__builtin_ctzll(ready)) + 1;
    const PendingInfo pi = take_pending(p, signal);
    if (a[1] != 0) {
      uint8_t info[signal_frame::kSigInfoBytes];
      signal_frame::put_siginfo(
          signal_frame::SigInfo{.signo = signal, .code = pi.code, .word = {pi.word[0], pi.word[1], pi.word[2]}}, info);
      if (const int32_t s = copy_out(p, a[1], info, sizeof info); s != 0) return error(-s);
    }
    return signal;
  }
  if (p.call_again && take_timed_out(p)) return end_call(p), error(abi::kEAGAIN);
  if (timeout == 0) return end_call(p), error(abi::kEAGAIN);
  if (next_signal(p) != 0) return end_call(p), error(abi::kEINTR);
  if (!p.call_again) {
    p.call_again = true;
    p.call_deadline = timeout == ~0ull ? 0 : uptime_ns() + timeout;
  }
  block_process(p, WaitKind::Signal, 0, p.call_deadline);
}
uint32_t sys_rt_sigtimedwait(Process& p, const SyscallArgs& a) { return do_sigtimedwait(p, a, false); }
uint32_t sys_rt_sigtimedwait_time64(Process& p, const SyscallArgs& a) { return do_sigtimedwait(p, a, true); }

// sigaltstack(ss, old_ss) as Linux's do_sigaltstack: EPERM while running on it, EINVAL
// for unknown flags, ENOMEM below MINSIGSTKSZ; the old state reported after the change.
uint32_t sys_sigaltstack(Process& p, const SyscallArgs& a) {
  const uint32_t sp = exception_frame(processes().index_of(p)).regs.a[7];
  const bool on = p.sig.altstack_size != 0 && sp > p.sig.altstack_sp && sp - p.sig.altstack_sp <= p.sig.altstack_size;
  uint8_t old[abi::kStackTBytes];
  ck::store_be32(old, p.sig.altstack_sp);
  ck::store_be32(old + 4, (p.sig.altstack_size == 0 ? abi::kSS_DISABLE
                           : on                     ? abi::kSS_ONSTACK
                                                    : 0) |
                              (p.sig.altstack_autodisarm ? abi::kSS_AUTODISARM : 0));
  ck::store_be32(old + 8, p.sig.altstack_size);
  if (a[0] != 0) {
    uint8_t raw[abi::kStackTBytes];
    if (const int32_t s = copy_in(p, a[0], raw, sizeof raw); s != 0) return error(-s);
    const uint32_t flags = ck::load_be32(raw + 4), size = ck::load_be32(raw + 8);
    const uint32_t mode = flags & ~abi::kSS_AUTODISARM;
    if (on) return error(abi::kEPERM);
    if (mode != abi::kSS_DISABLE && mode != abi::kSS_ONSTACK && mode != 0) return error(abi::kEINVAL);
    if (mode == abi::kSS_DISABLE) {
      p.sig.altstack_sp = p.sig.altstack_size = 0;
      p.sig.altstack_autodisarm = false;
    } else {
      if (size < abi::kMINSIGSTKSZ) return error(abi::kENOMEM);
      p.sig.altstack_sp = ck::load_be32(raw);
      p.sig.altstack_size = size;
      p.sig.altstack_autodisarm = (flags & abi::kSS_AUTODISARM) != 0;
    }
  }
  if (a[1] != 0 && copy_out(p, a[1], old, sizeof old) != 0) return error(abi::kEFAULT);
  return 0;
}

constexpr SyscallEntry kEntries[] = {
    {abi::kSigreturn, sys_sigreturn},
    {abi::kRtSigreturn, sys_rt_sigreturn},
    {abi::kRtSigpending, sys_rt_sigpending},
    {abi::kSigpending, sys_sigpending},
    {abi::kRtSigsuspend, sys_rt_sigsuspend},
    {abi::kPause, sys_pause},
    {abi::kRtSigtimedwait, sys_rt_sigtimedwait},
    {abi::kRtSigtimedwaitTime64, sys_rt_sigtimedwait_time64},
    {abi::kSigaltstack, sys_sigaltstack},
};

}  // namespace

SyscallGroup signal_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
