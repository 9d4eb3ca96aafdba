// The process table (process.h).
#include "process.h"

#include <string.h>

#include "signal_queue.h"

namespace unixemu {

ProcessTable g_process_table;

namespace {

// 16 KiB each: a system call's work (path resolution, copies) runs on it.
struct alignas(16) ExceptionStack {
  uint8_t bytes[16 * 1024];
};
ExceptionStack g_exception_stacks[ProcessTable::kMax];

}  // namespace

uint32_t exception_stack_top(uint32_t slot) { return reinterpret_cast<uint32_t>(&g_exception_stacks[slot + 1]); }

ck_exception& exception_frame(uint32_t slot) {
  return *reinterpret_cast<ck_exception*>((exception_stack_top(slot) - sizeof(ck_exception)) & ~3u);
}

Process* ProcessTable::allocate(uint32_t ppid) {
  for (Process& p : processes_) {
    if (p.state != ProcessState::Free) continue;
    p.state = ProcessState::Running;
    const uint32_t i = index_of(p);
    used_[i / 32] |= 1u << (i % 32);
    if (next_pid_ == 0) next_pid_ = 1;
    p.pid = next_pid_++;
    p.ppid = ppid;
    p.pgid = p.sid = p.pid;  // fork sets its parent's
    p.fds.set_limit(FdTable::kDefaultLimit);
    return &p;
  }
  return nullptr;
}

// Both look at used slots only (a word of marks): kill, tkill and sigqueue ask.
Process* ProcessTable::by_pid(uint32_t pid) {
  return find_used([pid](const Process& p) { return p.is_leader() && p.pid == pid; });
}

Process* ProcessTable::by_tid(uint32_t tid) {
  return find_used([tid](const Process& p) { return p.pid == tid; });
}

void ProcessTable::release(Process& p) {
  signal_queue().drop_slot(static_cast<uint16_t>(index_of(p)));
  p.state = ProcessState::Free;
  const uint32_t i = index_of(p);
  used_[i / 32] &= ~(1u << (i % 32));
  p.space = p.thread = 0;
  p.regions.clear();
  p.thread_written_back = false;
  p.death_reason = nullptr;
  p.tls = p.clear_child_tid = p.robust_list = 0;
  p.signal_mask = 0;
  p.cpu_before = p.cpu_seen = 0;
  p.ended_threads_cpu = 0;
  for (IntervalTimer& t : p.timers) t = IntervalTimer{};
  p.reading_console = false;
  p.redo = false;
  p.wait = Wait{};
  p.pending_signals = 0;
  p.shared_signals = 0;
  p.sig = SignalState{};
  p.vfork_parent = p.vfork_child = 0;
  p.execed = false;
  p.history = p.history_faults = 0;
  p.program = 0;
  p.exec_pc = p.exec_sp = 0;
  p.output_done = p.output_skip = 0;
  p.parking = p.in_place = p.timed_out = p.cleaned = false;
  p.call_again = false;
  p.call_deadline = 0;
  p.call_done = 0;
  p.leader = nullptr;
  p.exiting = 0;
  p.thread_gone = false;
  p.thread_gone_status = 0;
  p.futex_owner = p.futex_address = p.futex_bitset = p.futex_ticket = 0;
  p.futex_woken = p.futex_pi = false;
}

}  // namespace unixemu
