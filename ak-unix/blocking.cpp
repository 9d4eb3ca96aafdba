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
// search looks at these slots only, not at the whole table (issue 18 item 11).
static_assert(ProcessTable::kMax <= 64);
uint64_t g_may_wait = 0;

// Waits blocked in the Cache Kernel, the lock let go, until a waker ends the wait (true),
// its deadline passes (true, timed out) or kShortWaitNs goes by (false: a long-term wait).
bool wait_in_place(Process& p) {
  const uint32_t place = processes().index_of(p);
  const uint64_t start = uptime_ns();
  const uint64_t limit =
      p.wait.deadline != 0 && p.wait.deadline < start + kShortWaitNs ? p.wait.deadline : start + kShortWaitNs;
  p.in_place = true;
  // The time after each pause is the one its block ended at (a clock read after a wake
  // was 2 of a pipe round trip's 6 calls of the Cache Kernel besides the forward and
  // resume). The low word's difference, never less than none: a block that ended before
  // the wait began (a wake that came first) or says 0 (written back while blocked) counts
  // as no time.
  const auto start_low = static_cast<uint32_t>(start);
  for (uint64_t now = start; p.wait.kind != WaitKind::None && now < limit;) {
    const auto waited =
        static_cast<int32_t>(emulator_lock().pause(place, static_cast<uint32_t>(limit - now)) - start_low);
    now = waited > 0 ? start + static_cast<uint32_t>(waited) : start;
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

[[noreturn]] void block_process(Process& p, WaitKind kind, uint32_t what, uint64_t deadline) {
  p.wait = Wait{.kind = kind, .what = what, .deadline = deadline};
  p.timed_out = false;
  g_may_wait |= 1ull << processes().index_of(p);
  if (wait_in_place(p)) call_again(p);
  // A long-term wait (or a resume that failed: the first thread loads it again at once).
  // The writeback of the unload below (or of a displacement before it) finds `parking`
  // and keeps the state with its pc back on the trap (emulator.cpp, Writeback::thread).
  p.parking = true;
  block_thread(p);
}

void wake_process(Process& p) {
  if (p.wait.kind == WaitKind::None) return;
  p.wait = Wait{};
  // Blocked in place: its own thread makes the call again. Else (or written back
  // meanwhile, its record not read yet) the first thread loads it again (reload_displaced).
  if (p.in_place && p.thread != 0 && ak::wake(p.thread) == CK_OK) return;
  ak::wake(main_thread());
}

uint32_t wake_waiters(WaitKind kind, uint32_t what) { return wake_waiters(kind, what, what); }

uint32_t wake_waiters(WaitKind kind, uint32_t what, uint32_t also) {
  uint32_t woken = 0;
  uint64_t later = 0;  // the slots waiting for `also`, woken after the pass
  for (uint64_t slots = g_may_wait; slots != 0; slots &= slots - 1) {
    // Two 32-bit counts: a 64-bit one is a libgcc call.
    const auto low = static_cast<uint32_t>(slots);
    const uint32_t i = low != 0 ? static_cast<uint32_t>(__builtin_ctz(low))
                                : 32 + static_cast<uint32_t>(__builtin_ctz(static_cast<uint32_t>(slots >> 32)));
    Process& p = processes().slot(i);
    if (p.state != ProcessState::Running || p.wait.kind == WaitKind::None) {
      g_may_wait &= ~(1ull << i);
      continue;
    }
    if (p.wait.kind != kind) continue;
    if (p.wait.what == what) {
      wake_process(p);
      woken += 1;
    } else if (p.wait.what == also) {
      later |= 1ull << i;
    }
  }
  for (uint32_t half = 0; half < 2; ++half) {
    for (auto bits = static_cast<uint32_t>(later >> (32 * half)); bits != 0; bits &= bits - 1) {
      wake_process(processes().slot(32 * half + static_cast<uint32_t>(__builtin_ctz(bits))));
      woken += 1;
    }
  }
  return woken;
}

void expire_waits(uint64_t now) {
  processes().for_each_used([&](Process& p) {
    if (p.state != ProcessState::Running || p.wait.kind == WaitKind::None || p.wait.deadline == 0 ||
        p.wait.deadline > now)
      return;
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
