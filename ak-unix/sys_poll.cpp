// poll, ppoll, select, _newselect, pselect6 (and their time64 forms) over pipes, files,
// /dev/null and /dev/zero and the console (issue 18 item 4), with Linux's checks and
// results (fs/select.c). A call that finds nothing ready waits on blocking.h (paper §2.3:
// its thread leaves the Cache Kernel) for any pipe or the console to change
// (Pipes::kAnyChange), until its deadline, fixed by its first attempt
// (Process::call_deadline), passes. ppoll's and pselect6's signal masks are read and
// checked; applying them while waiting is the signals work's (interruption.h). select,
// pselect6 and ppoll write what is left of their timeout back as they return, as
// Linux's poll_select_finish does.
#include "blocking.h"
#include "emulator.h"
#include "interruption.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_signal.h"
#include "pipe.h"
#include "readiness.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr uint64_t kForever = ~0ull;  // a timeout: none
constexpr uint64_t kSecond = 1000000000u;

// A timespec (32- or 64-bit seconds) or a timeval as a timeout: EINVAL when negative or
// its fraction out of range, EFAULT when unreadable; kForever for a null pointer.
int32_t timeout_in(Process& p, uint32_t va, bool wide, uint32_t unit_ns, uint64_t* ns) {
  if (va == 0) {
    *ns = kForever;
    return 0;
  }
  uint8_t raw[16];
  if (const int32_t s = copy_in(p, va, raw, wide ? 16 : 8); s != 0) return s;
  const int64_t seconds =
      wide ? static_cast<int64_t>(static_cast<uint64_t>(ck::load_be32(raw)) << 32 | ck::load_be32(raw + 4))
           : static_cast<int32_t>(ck::load_be32(raw));
  const int32_t fraction = static_cast<int32_t>(ck::load_be32(raw + (wide ? 12 : 4)));
  if (seconds < 0 || fraction < 0 || static_cast<uint32_t>(fraction) >= kSecond / unit_ns) return -abi::kEINVAL;
  constexpr int64_t kLongest = 0x7fffffffll * 4;  // past any test's patience: as good as none
  *ns = seconds > kLongest ? kForever
                           : static_cast<uint64_t>(seconds) * kSecond + static_cast<uint64_t>(fraction) * unit_ns;
  return 0;
}

// ppoll's and pselect6's signal mask: EINVAL for a size other than the kernel's sigset.
int32_t sigmask_check(uint32_t mask_va, uint32_t size) {
  return mask_va != 0 && size != abi::kSigsetBytes ? -abi::kEINVAL : 0;
}

// ppoll's and pselect6's mask replaces the process's while the call waits (Linux's
// set_user_sigmask), from its first attempt on; the old one comes back as the call
// returns, unless a signal ended it: then the signal path puts it in the handler's frame
// and back after (restore_saved_sigmask_unless).
int32_t apply_call_mask(Process& p, uint32_t mask_va) {
  if (mask_va == 0 || p.call_again) return 0;
  uint8_t raw[8];
  if (const int32_t s = copy_in(p, mask_va, raw, sizeof raw); s != 0) return s;
  constexpr uint64_t kNeverBlocked = 1ull << (abi::kSIGKILL - 1) | 1ull << (abi::kSIGSTOP - 1);
  p.sig.saved_mask = p.signal_mask;
  p.sig.mask_saved = true;
  p.signal_mask = (static_cast<uint64_t>(ck::load_be32(raw + 4)) << 32 | ck::load_be32(raw)) & ~kNeverBlocked;
  return 0;
}
uint32_t restore_call_mask(Process& p, uint32_t result) {
  if (p.sig.mask_saved && result != error(abi::kERESTARTNOHAND)) {
    p.signal_mask = p.sig.saved_mask;
    p.sig.mask_saved = false;
  }
  return result;
}

// Where a call's timeout came from, to write back what is left of it (Linux's
// poll_select_finish): a timeval (select), a 32- or 64-bit timespec (pselect6, ppoll).
enum class TimeoutForm : uint8_t { Timeval, Timespec, WideTimespec };
struct TimeoutOut {
  uint32_t va;  // 0: none given
  TimeoutForm form;
  uint64_t ns;        // as read: 0 polls, kForever waits without end
  uint64_t deadline;  // the first attempt's (Process::call_deadline on the attempts after it)
};

TimeoutOut timeout_out(const Process& p, uint32_t va, TimeoutForm form, uint64_t ns) {
  const uint64_t deadline = p.call_again ? p.call_deadline : ns == kForever ? 0 : uptime_ns() + ns;
  return TimeoutOut{.va = va, .form = form, .ns = ns, .deadline = deadline};
}

// Whatever the result (ready, timed out, ended by a signal), a timeout other than zero
// gets what is left of it, 0 once past. Linux gives up the write quietly when the
// timeout cannot be written, and then the call cannot be made again: EINTR.
uint32_t finish_timeout(Process& p, const TimeoutOut& t, uint32_t result) {
  if (t.va == 0 || t.ns == 0 || t.ns == kForever) return result;
  const uint64_t now = uptime_ns();
  const uint64_t left = t.deadline > now ? t.deadline - now : 0;
  const uint32_t seconds = static_cast<uint32_t>(left / kSecond);
  const uint32_t rest = static_cast<uint32_t>(left % kSecond);
  uint8_t raw[16];
  uint32_t bytes = 8;
  if (t.form == TimeoutForm::WideTimespec) {  // struct __kernel_timespec
    ck::store_be32(raw, 0);
    ck::store_be32(raw + 4, seconds);
    ck::store_be32(raw + 8, 0);
    ck::store_be32(raw + 12, rest);
    bytes = 16;
  } else {  // struct timeval (microseconds) or old_timespec32
    ck::store_be32(raw, seconds);
    ck::store_be32(raw + 4, t.form == TimeoutForm::Timeval ? rest / 1000u : rest);
  }
  if (copy_out(p, t.va, raw, bytes) == 0) return result;
  return result == error(abi::kERESTARTNOHAND) ? error(abi::kEINTR) : result;
}

// Nothing is ready: return (0) if the timeout has passed, else wait (the call is made
// again when a pipe or the console changes, or at the deadline).
bool wait_is_over(Process& p, uint64_t timeout_ns) {
  if (timeout_ns == 0) return true;
  if (p.call_again) return p.call_deadline != 0 && uptime_ns() >= p.call_deadline;
  return false;
}
[[noreturn]] void wait_for_change(Process& p, uint64_t timeout_ns) {
  if (!p.call_again) p.call_deadline = timeout_ns == kForever ? 0 : uptime_ns() + timeout_ns;
  p.call_again = true;
  pipes().wait(p, Pipes::kAnyChange, p.call_deadline);
}

// ---- poll ----

constexpr uint32_t kPollfdBytes = 8;  // int fd; short events; short revents
constexpr uint32_t kMaxPollfds = FdTable::kMaxFds;

uint32_t events_of(Process& p, int32_t fd, uint32_t requested) {
  if (fd < 0) return 0;
  const uint32_t f = p.group().fds.file(fd);
  if (f == FdTable::kNone) return kPOLLNVAL;
  return readiness(open_files().at(f)) & (requested | kPOLLERR | kPOLLHUP);
}

uint32_t do_poll(Process& p, uint32_t fds_va, uint32_t nfds, uint64_t timeout_ns) {
  if (nfds > p.group().fds.limit() || nfds > kMaxPollfds) return end_call(p), error(abi::kEINVAL);
  static uint16_t revents[kMaxPollfds];  // calls do not interleave (the emulator's lock)
  uint32_t ready = 0;
  for (uint32_t i = 0; i < nfds; ++i) {
    uint8_t raw[kPollfdBytes];
    if (const int32_t s = copy_in(p, fds_va + i * kPollfdBytes, raw, sizeof raw); s != 0) return end_call(p), error(-s);
    revents[i] = static_cast<uint16_t>(events_of(p, static_cast<int32_t>(ck::load_be32(raw)), ck::load_be16(raw + 4)));
    ready += revents[i] != 0 ? 1 : 0;
  }
  if (ready == 0 && !wait_is_over(p, timeout_ns)) {
    if (!signal_ends_wait(p)) wait_for_change(p, timeout_ns);
    return end_call(p), error(abi::kERESTARTNOHAND);
  }
  end_call(p);
  for (uint32_t i = 0; i < nfds; ++i) {
    uint8_t raw[2];
    ck::store_be16(raw, revents[i]);
    if (const int32_t s = copy_out(p, fds_va + i * kPollfdBytes + 6, raw, sizeof raw); s != 0) return error(-s);
  }
  return ready;
}

// poll's timeout: milliseconds, negative for none.
uint32_t sys_poll(Process& p, const SyscallArgs& a) {
  const int32_t ms = static_cast<int32_t>(a[2]);
  return do_poll(p, a[0], a[1], ms < 0 ? kForever : static_cast<uint64_t>(ms) * 1000000u);
}

uint32_t ppoll_with(Process& p, const SyscallArgs& a, bool wide) {
  uint64_t timeout;
  if (const int32_t s = timeout_in(p, a[2], wide, 1, &timeout); s != 0) return end_call(p), error(-s);
  if (const int32_t s = sigmask_check(a[3], a[4]); s != 0) return end_call(p), error(-s);
  if (const int32_t s = apply_call_mask(p, a[3]); s != 0) return end_call(p), error(-s);
  const TimeoutOut out = timeout_out(p, a[2], wide ? TimeoutForm::WideTimespec : TimeoutForm::Timespec, timeout);
  return finish_timeout(p, out, restore_call_mask(p, do_poll(p, a[0], a[1], timeout)));
}
uint32_t sys_ppoll(Process& p, const SyscallArgs& a) { return ppoll_with(p, a, false); }
uint32_t sys_ppoll_time64(Process& p, const SyscallArgs& a) { return ppoll_with(p, a, true); }

// ---- select ----

constexpr uint32_t kSetWords = FdTable::kMaxFds / 32;
enum class SetKind : uint8_t { Read, Write, Except };
constexpr uint32_t kSets = 3;

// What select looks at of each set: POLLIN_SET, POLLOUT_SET, POLLEX_SET (fs/select.c).
constexpr uint32_t kSetEvents[kSets] = {
    kPOLLIN | kPOLLRDNORM | kPOLLRDBAND | kPOLLHUP | kPOLLERR,
    kPOLLOUT | kPOLLWRBAND | kPOLLERR,
    kPOLLPRI,
};

// Linux looks at no more descriptors than its table has room for: 32 at first, then a
// power of two of at least 256 (expand_fdtable).
uint32_t table_size(const Process& p) {
  const uint32_t top = p.group().fds.top();
  if (top <= 32) return 32;
  uint32_t size = 256;
  while (size < top) size *= 2;
  return size;
}

struct Selection {
  uint32_t va[kSets];
  uint32_t in[kSets][kSetWords];
  uint32_t out[kSets][kSetWords];
};

int32_t sets_in(Process& p, Selection& s, uint32_t words) {
  for (uint32_t k = 0; k < kSets; ++k) {
    for (uint32_t w = 0; w < words; ++w) s.in[k][w] = 0;
    if (s.va[k] == 0) continue;
    for (uint32_t w = 0; w < words; ++w) {
      uint8_t raw[4];
      if (const int32_t st = copy_in(p, s.va[k] + 4 * w, raw, sizeof raw); st != 0) return st;
      s.in[k][w] = ck::load_be32(raw);
    }
  }
  return 0;
}

// The ready descriptors into s.out: how many bits are set, or -EBADF for a descriptor in
// a set that is not open.
int32_t select_scan(Process& p, Selection& s, uint32_t n) {
  int32_t ready = 0;
  for (uint32_t fd = 0; fd < n; ++fd) {
    const uint32_t w = fd / 32, bit = 1u << (fd % 32);
    if (fd % 32 == 0)
      for (uint32_t k = 0; k < kSets; ++k) s.out[k][w] = 0;
    if (((s.in[0][w] | s.in[1][w] | s.in[2][w]) & bit) == 0) continue;
    const uint32_t f = p.group().fds.file(static_cast<int32_t>(fd));
    if (f == FdTable::kNone) return -abi::kEBADF;
    const uint32_t mask = readiness(open_files().at(f));
    for (uint32_t k = 0; k < kSets; ++k) {
      if ((s.in[k][w] & bit) == 0 || (mask & kSetEvents[k]) == 0) continue;
      s.out[k][w] |= bit;
      ready += 1;
    }
  }
  return ready;
}

int32_t sets_out(Process& p, const Selection& s, uint32_t words) {
  for (uint32_t k = 0; k < kSets; ++k) {
    if (s.va[k] == 0) continue;
    for (uint32_t w = 0; w < words; ++w) {
      uint8_t raw[4];
      ck::store_be32(raw, s.out[k][w]);
      if (const int32_t st = copy_out(p, s.va[k] + 4 * w, raw, sizeof raw); st != 0) return st;
    }
  }
  return 0;
}

uint32_t do_select(Process& p, int32_t n, const uint32_t (&sets)[kSets], uint64_t timeout_ns) {
  if (n < 0) return end_call(p), error(abi::kEINVAL);
  const uint32_t size = table_size(p);
  const uint32_t fds = static_cast<uint32_t>(n) < size ? static_cast<uint32_t>(n) : size;
  const uint32_t words = (fds + 31) / 32;
  static Selection s;  // calls do not interleave (the emulator's lock)
  for (uint32_t k = 0; k < kSets; ++k) s.va[k] = sets[k];
  if (const int32_t st = sets_in(p, s, words); st != 0) return end_call(p), error(-st);
  const int32_t ready = select_scan(p, s, fds);
  if (ready < 0) return end_call(p), error(-ready);
  if (ready == 0 && !wait_is_over(p, timeout_ns)) {
    if (!signal_ends_wait(p)) wait_for_change(p, timeout_ns);
    return end_call(p), error(abi::kERESTARTNOHAND);
  }
  end_call(p);
  if (const int32_t st = sets_out(p, s, words); st != 0) return error(-st);
  return static_cast<uint32_t>(ready);
}

uint32_t sys_newselect(Process& p, const SyscallArgs& a) {
  uint64_t timeout;
  if (const int32_t s = timeout_in(p, a[4], false, 1000, &timeout); s != 0) return end_call(p), error(-s);
  const TimeoutOut out = timeout_out(p, a[4], TimeoutForm::Timeval, timeout);
  return finish_timeout(p, out, do_select(p, static_cast<int32_t>(a[0]), {a[1], a[2], a[3]}, timeout));
}

// m68k's old select (82): one pointer to the five arguments.
uint32_t sys_old_select(Process& p, const SyscallArgs& a) {
  uint8_t raw[20];
  if (const int32_t s = copy_in(p, a[0], raw, sizeof raw); s != 0) return end_call(p), error(-s);
  uint32_t five[5];
  for (uint32_t i = 0; i < 5; ++i) five[i] = ck::load_be32(raw + 4 * i);
  return sys_newselect(p, SyscallArgs(five, 0));
}

uint32_t pselect_with(Process& p, const SyscallArgs& a, bool wide) {
  uint64_t timeout;
  if (const int32_t s = timeout_in(p, a[4], wide, 1, &timeout); s != 0) return end_call(p), error(-s);
  if (a[5] != 0) {  // { const sigset_t* mask; size_t size; }
    uint8_t raw[8];
    if (const int32_t s = copy_in(p, a[5], raw, sizeof raw); s != 0) return end_call(p), error(-s);
    if (const int32_t s = sigmask_check(ck::load_be32(raw), ck::load_be32(raw + 4)); s != 0)
      return end_call(p), error(-s);
    if (const int32_t s = apply_call_mask(p, ck::load_be32(raw)); s != 0) return end_call(p), error(-s);
  }
  const TimeoutOut out = timeout_out(p, a[4], wide ? TimeoutForm::WideTimespec : TimeoutForm::Timespec, timeout);
  return finish_timeout(p, out,
                        restore_call_mask(p, do_select(p, static_cast<int32_t>(a[0]), {a[1], a[2], a[3]}, timeout)));
}
uint32_t sys_pselect6(Process& p, const SyscallArgs& a) { return pselect_with(p, a, false); }
uint32_t sys_pselect6_time64(Process& p, const SyscallArgs& a) { return pselect_with(p, a, true); }

constexpr SyscallEntry kEntries[] = {
    {abi::kPoll, sys_poll},
    {abi::kPpoll, sys_ppoll},
    {abi::kPpollTime64, sys_ppoll_time64},
    {abi::kSelect, sys_old_select},
    {abi::kNewselect, sys_newselect},
    {abi::kPselect6, sys_pselect6},
    {abi::kPselect6Time64, sys_pselect6_time64},
};

}  // namespace

SyscallGroup poll_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
