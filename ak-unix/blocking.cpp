// Blocking a process on a long-term event (blocking.h).
#include "blocking.h"

#include "emulator.h"
#include "emulator_lock.h"
#include "handler.h"
#include "libak.h"
#include "process.h"

namespace unixemu {

namespace {

// How long a wait stays blocked in place before it is taken for a long-term one and its
// thread unloaded (paper §2.3). A pipe partner's reply, a child's exit just after its
// fork or a futex handed over comes well within it; an unload and a reload cost more
// than such a wait (issue 18 item 11). The first thread's timer is 10 ms.
constexpr uint64_t kShortWaitNs = 20 * 1000 * 1000;

// A bit per process slot that may wait: set when its wait begins, cleared by a search
// that finds it waits no more. A pipe's read or write looks for waiters each time: the
// search looks at these slots only, not at the whole table (issue 18 item 11). Two
// 32-bit words: the 64-bit operations of one were half of a search.
static_assert(ProcessTable::kMax <= 64);
uint32_t g_may_wait[2] = {};

// Waits blocked in the Cache Kernel, the lock let go, until a waker ends the wait (true),
// its deadline passes (true, timed out) or kShortWaitNs goes by (false: a long-term wait).
bool wait_in_place(Process& p) {
  const uint32_t place = processes().index_of(p);
  p.in_place = true;
  // A wait with no deadline blocks with no timeout and reads no clock: the first thread's
  // passes (every 10 ms) see it in place and end it as a long-term wait once one has seen
  // it for half of kShortWaitNs (expire_waits): between that and all of it in place. (A
  // block's timeout made the Cache Kernel read its clock and keep the thread among its
  // sleepers, the wake take it out again: most such waits, a pipe partner's reply, end
  // long before; issue 18 item 11.)
  if (p.wait.deadline == 0) {
    p.in_place_seen = 0;
    p.in_place_over = false;
    while (p.wait.kind != WaitKind::None && !p.in_place_over) emulator_lock().pause(place, 0);
    p.in_place = false;
    return p.wait.kind == WaitKind::None;
  }
  const uint64_t begin = uptime_ns();
  const uint64_t limit = p.wait.deadline < begin + kShortWaitNs ? p.wait.deadline : begin + kShortWaitNs;
  // The time after each pause is the one its block ended at (a clock read after a wake
  // was 2 of a pipe round trip's 6 calls of the Cache Kernel besides the forward and
  // resume). The low word's difference from this loop's start, never less than none: a
  // block that ended before it (a wake that came first) or says 0 (written back while
  // blocked) counts as no time.
  const auto begin_low = static_cast<uint32_t>(begin);
  for (uint64_t now = begin; p.wait.kind != WaitKind::None && now < limit;) {
    const auto waited =
        static_cast<int32_t>(emulator_lock().pause(place, static_cast<uint32_t>(limit - now)) - begin_low);
    now = waited > 0 ? begin + static_cast<uint32_t>(waited) : begin;
  }
  p.in_place = false;
  if (p.wait.kind == WaitKind::None) return true;
  if (p.wait.deadline == 0 || uptime_ns() < p.wait.deadline) return false;
  p.wait = Wait{};
  p.timed_out = true;
  return true;
}

// The call is made again (its frame's registers are the ones it trapped with; the call
// has not changed them): by the handler itself, on the stack it has, the first time
// (a trap and a resume fewer: issue 18 item 11's pipe round trip), else by resuming the
// thread on its trap, which starts its handler afresh. Returns only if the resume failed.
void call_again(Process& p) {
  ck_exception& e = exception_frame(processes().index_of(p));
  if (!p.made_again && p.state == ProcessState::Running && e.kind == CK_EXC_TRAP && e.vector == 0) {
    p.made_again = true;
    make_call_again(p, e);
  }
  e.regs.pc -= 2;
  emulator_lock().release();
  ak::resume(&e);
  emulator_lock().acquire(e.thread, processes().index_of(p));
  e.regs.pc += 2;
}

}  // namespace

bool wait_here(Process& p, WaitKind kind, uint32_t what, uint64_t deadline) {
  p.wait = Wait{.kind = kind, .what = what, .deadline = deadline};
  p.timed_out = false;
  const uint32_t slot = processes().index_of(p);
  g_may_wait[slot / 32] |= 1u << (slot % 32);
  if (wait_in_place(p)) return true;
  // A long-term wait. The writeback of the unload below (or of a displacement before it)
  // finds `parking` and keeps the state with its pc back on the trap (emulator.cpp,
  // Writeback::thread).
  p.parking = true;
  block_thread(p);
}

[[noreturn]] void make_call_again(Process& p) {
  call_again(p);
  // A resume that failed: the first thread loads it again at once (as a long-term wait's).
  p.parking = true;
  block_thread(p);
}

[[noreturn]] void block_process(Process& p, WaitKind kind, uint32_t what, uint64_t deadline) {
  if (wait_here(p, kind, what, deadline)) make_call_again(p);
  __builtin_unreachable();  // wait_here returns only true
}

void wake_process(Process& p) {
  if (p.wait.kind == WaitKind::None) return;
  p.wait = Wait{};
  // Blocked in place: its own thread makes the call again. Else (or written back
  // meanwhile, its record not read yet) the first thread loads it again (reload_displaced).
  if (p.in_place && p.thread != 0 && ak::wake(p.thread) == CK_OK) return;
  ak::wake(main_thread());
}

uint32_t wake_waiters(WaitKind kind, uint32_t what) {
  uint32_t woken = 0;
  for (uint32_t half = 0; half < 2; ++half) {
    for (uint32_t slots = g_may_wait[half]; slots != 0; slots &= slots - 1) {
      Process& p = processes().slot(32 * half + static_cast<uint32_t>(__builtin_ctz(slots)));
      if (p.state != ProcessState::Running || p.wait.kind == WaitKind::None) {
        g_may_wait[half] &= ~(slots & -slots);
        continue;
      }
      if (p.wait.kind != kind || p.wait.what != what) continue;
      wake_process(p);
      woken += 1;
    }
  }
  return woken;
}

void expire_waits(uint64_t now) {
  processes().for_each_used([&](Process& p) {
    if (p.state != ProcessState::Running || p.wait.kind == WaitKind::None) return;
    if (p.wait.deadline == 0) {
      // A wait in place with no deadline: seen now, or seen long enough ago to be taken
      // for a long-term one (its thread, woken, unloads itself).
      if (!p.in_place || p.in_place_over || p.thread == 0) return;
      if (p.in_place_seen == 0) {
        p.in_place_seen = now;
      } else if (now - p.in_place_seen >= kShortWaitNs / 2) {
        p.in_place_over = true;
        ak::wake(p.thread);
      }
      return;
    }
    if (p.wait.deadline > now) return;
    p.timed_out = true;
    wake_process(p);
  });
}

bool take_timed_out(Process& p) {
  const bool was = p.timed_out;
  p.timed_out = false;
  return was;
}

}  // namespace unixemu
