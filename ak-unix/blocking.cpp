// Blocking a process on a long-term event (blocking.h).
#include "blocking.h"

#include "emulator.h"
#include "emulator_lock.h"
#include "libak.h"
#include "process.h"

namespace unixemu {

[[noreturn]] void block_process(Process& p, WaitKind kind, uint32_t what, uint64_t deadline) {
  p.wait = Wait{.kind = kind, .what = what, .deadline = deadline};
  p.timed_out = false;
  // The writeback of the unload below (or of a displacement before it) finds `parking`
  // and keeps the state with its pc back on the trap (emulator.cpp, Writeback::thread).
  p.parking = true;
  block_thread(p);
}

void wake_process(Process& p) {
  if (p.wait.kind == WaitKind::None) return;
  p.wait = Wait{};
  ak::wake(main_thread());  // it loads the thread again (reload_displaced)
}

uint32_t wake_waiters(WaitKind kind, uint32_t what) {
  uint32_t woken = 0;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& p = processes().slot(i);
    if (p.state != ProcessState::Running || p.wait.kind != kind || p.wait.what != what) continue;
    wake_process(p);
    woken += 1;
  }
  return woken;
}

void expire_waits(uint64_t now) {
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& p = processes().slot(i);
    if (p.state != ProcessState::Running || p.wait.kind == WaitKind::None || p.wait.deadline == 0 ||
        p.wait.deadline > now)
      continue;
    p.timed_out = true;
    wake_process(p);
  }
}

bool take_timed_out(Process& p) {
  const bool was = p.timed_out;
  p.timed_out = false;
  return was;
}

}  // namespace unixemu
