// Threads of a UNIX process (process_threads.h).
#include "process_threads.h"

#include <string.h>

#include "emulator.h"
#include "emulator_lock.h"
#include "futex.h"
#include "lib/endian.h"
#include "libak.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "scheduler.h"
#include "signal_queue.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr uint32_t kThreadFlags =
    abi::kCLONE_VM | abi::kCLONE_FS | abi::kCLONE_FILES | abi::kCLONE_SIGHAND | abi::kCLONE_THREAD;

bool in_group(const Process& q, const Process& leader) { return q.state != ProcessState::Free && q.leader == &leader; }

// Writes `value` at `va` of the group's memory (CLONE_*_SETTID, the clear-tid word; a bad
// address is ignored, as Linux does).
void put_word(Process& p, uint32_t va, uint32_t value) {
  uint8_t raw[4];
  ck::store_be32(raw, value);
  copy_out(p, va, raw, sizeof raw);
}

// A thread that is not the caller leaves the Cache Kernel (wherever it is: running,
// waiting for the lock, blocked, written back).
void unload_other(Process& q, ck_id thread) {
  emulator_lock().forget_waiter(processes().index_of(q));
  unload_thread_surely(thread);
}

// What thread `q` (ending) used of the processor goes to its process's total.
void keep_cpu_time(Process& q) {
  ck_thread_stats stats{};
  if (q.thread != 0 && ak::thread_stats(q.thread, &stats) == CK_OK) q.cpu_seen = stats.run_ns;
  if (!q.is_leader()) q.group().ended_threads_cpu += q.cpu_before + q.cpu_seen;
}

// Linux's mm_release: the clear-tid word is cleared and a waiter on it (pthread_join)
// woken.
void clear_tid(Process& t) {
  if (t.clear_child_tid == 0) return;
  const uint32_t va = t.clear_child_tid;
  t.clear_child_tid = 0;
  uint8_t raw[4];
  if (copy_in(t, va, raw, sizeof raw) != 0) return;
  put_word(t, va, 0);
  futex_wake(t, va, 1, abi::kFUTEX_BITSET_MATCH_ANY);
}

}  // namespace

bool thread_flags_valid(uint32_t flags) { return (flags & kThreadFlags) == kThreadFlags; }

Process* create_thread(Process& caller, const ForkRequest& q, int32_t* error) {
  Process& leader = caller.group();
  Process* t = processes().allocate(leader.ppid);
  if (t == nullptr) {
    *error = -abi::kEAGAIN;
    return nullptr;
  }
  t->leader = &leader;
  memset(t->actions, 0, sizeof t->actions);  // never read (the leader's are), but not a stale process's
  t->signal_mask = caller.signal_mask;       // the alternate stack is not inherited (Linux)
  t->tls = (q.flags & abi::kCLONE_SETTLS) != 0 ? q.tls : caller.tls;
  if ((q.flags & abi::kCLONE_CHILD_CLEARTID) != 0) t->clear_child_tid = q.child_tid;
  const uint32_t slot = processes().index_of(*t);
  scheduler().forked(processes().index_of(caller), slot);  // the caller's nice and level
  ck_thread_state state{};
  state.regs = exception_frame(processes().index_of(caller)).regs;
  state.regs.d[0] = 0;  // the new thread's result
  if (q.stack != 0) state.regs.a[7] = q.stack;
  save_caller_fpu(&state.fpu);
  state.exception_stack = exception_stack_top(slot);
  state.value_call = abi::kGetThreadArea;
  state.value = t->tls;
  if ((q.flags & abi::kCLONE_CHILD_SETTID) != 0) put_word(caller, q.child_tid, t->pid);
  if ((q.flags & abi::kCLONE_PARENT_SETTID) != 0) put_word(caller, q.parent_tid, t->pid);
  if (load_process(*t, state) != CK_OK) {
    processes().release(*t);
    *error = -abi::kENOMEM;
    return nullptr;
  }
  return t;
}

uint32_t live_threads(const Process& leader) {
  uint32_t n = leader.state == ProcessState::Running && !leader.thread_gone ? 1 : 0;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& q = processes().slot(i);
    n += in_group(q, leader) && q.state == ProcessState::Running ? 1 : 0;
  }
  return n;
}

[[noreturn]] void exit_thread(Process& t, uint32_t wait_status) {
  Process& leader = t.group();
  release_robust_futexes(t);  // Linux's exit_mm_release: the robust list, then clear-tid
  clear_tid(t);
  // The last thread: the process ends, with its leader's status if the leader's thread
  // ended first (Linux reports the leader's exit code).
  if (live_threads(leader) <= 1) exit_process(t, leader.thread_gone ? leader.thread_gone_status : wait_status);
  keep_cpu_time(t);
  const ck_id self = t.thread;
  t.thread = 0;  // forgotten: the writeback of its unload is not a displacement
  t.wait = Wait{};
  t.thread_written_back = false;
  if (t.is_leader()) {
    // The process goes on with its other threads; its slot keeps what they share.
    t.thread_gone = true;
    t.thread_gone_status = wait_status;
  } else {
    t.state = ProcessState::Zombie;  // the first thread frees the slot
    t.exiting = self;
  }
  emulator_lock().release();
  ak::wake(main_thread());
  unload_self_for_good(self);
}

void end_threads(Process& leader, const Process* keep) {
  processes().for_each_used([&](Process& q) {
    if (!in_group(q, leader) || &q == keep) return;
    if (q.state == ProcessState::Running) {
      keep_cpu_time(q);
      release_robust_futexes(q);
    }
    const ck_id thread = q.state == ProcessState::Zombie ? q.exiting : q.thread;
    q.thread = 0;
    unload_other(q, thread);
    processes().release(q);
  });
  if (&leader != keep) {
    if (!leader.thread_gone) release_robust_futexes(leader);
    const ck_id thread = leader.thread;
    leader.thread = 0;
    unload_other(leader, thread);
    // Whatever its thread was doing (a wait, a console read, a reload) is over.
    leader.wait = Wait{};
    leader.parking = leader.in_place = leader.reading_console = leader.thread_written_back = false;
    leader.call_again = false;
    leader.sig.interrupt = leader.sig.pausing = false;
    leader.thread_gone = true;
  }
  drain_ring();
}

[[noreturn]] void exec_in_leader(Process& t, uint32_t pc, uint32_t sp) {
  Process& leader = t.group();
  // The leader's slot takes the exec'ing thread's signal state (Linux's de_thread: the
  // thread takes the leader's place and pid).
  leader.signal_mask = t.signal_mask;
  leader.pending_signals = t.pending_signals;  // the shared set stays the process's
  signal_queue().drop(QueueOwner{.slot = static_cast<uint16_t>(processes().index_of(leader))}, ~0ull);
  signal_queue().move_slot(static_cast<uint16_t>(processes().index_of(t)),
                           static_cast<uint16_t>(processes().index_of(leader)));
  leader.sig = t.sig;
  leader.tls = leader.clear_child_tid = 0;
  leader.thread_gone = false;
  const uint32_t slot = processes().index_of(leader);
  ck_thread_state state{};
  state.regs.pc = pc;
  state.regs.a[7] = sp;
  state.exception_stack = exception_stack_top(slot);
  state.value_call = abi::kGetThreadArea;
  state.value = 0;
  if (load_process(leader, state) != CK_OK) {
    leader.death_reason = "its new program could not be loaded";
    exit_process(t, abi::kSIGKILL);
  }
  const ck_id self = t.thread;
  t.thread = 0;
  t.state = ProcessState::Zombie;  // the first thread frees the slot
  t.exiting = self;
  emulator_lock().release();
  ak::wake(main_thread());
  unload_self_for_good(self);
}

Process* signal_thread(Process& leader, uint32_t signal) {
  const uint64_t bit = 1ull << (signal - 1);
  const auto wants = [&](const Process& t) {
    return t.state == ProcessState::Running && !t.thread_gone && (t.signal_mask & bit) == 0;
  };
  if (wants(leader)) return &leader;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& q = processes().slot(i);
    if (in_group(q, leader) && wants(q)) return &q;
  }
  return nullptr;  // blocked everywhere: the process keeps it
}

void free_ended_threads() {
  processes().for_each_used([](Process& q) {
    if (q.state != ProcessState::Zombie || q.is_leader()) return;
    const ck_id thread = q.exiting;
    q.exiting = 0;
    unload_other(q, thread);
    processes().release(q);
  });
}

}  // namespace unixemu
