// UNIX processes (paper §2: "the UNIX emulator ... loads an address space and a thread
// for each process", with process identifiers of its own, stable whatever the Cache
// Kernel's identifiers are; §2.4: the emulator owns them). A process is its regions and
// resident pages, its files, and a Cache Kernel space and thread the emulator loads,
// and reloads when the Cache Kernel writes them back.
//
// Threads (issue 18 item 2) are slots of this table too, as Linux's tasks are: each slot
// is one Cache Kernel thread with its own tid (`pid`), registers, thread pointer, signal
// mask, pending signals, waits and exception stack. A thread made by clone(CLONE_THREAD)
// names its group's leader (`leader`); what the group shares (space, memory, files,
// signal actions, identity, exit status) lives in the leader's slot only and is reached
// through group() (process_threads.h has the rest).
#pragma once

#include <stdint.h>

#include "blocking.h"
#include "ck/abi.h"
#include "files.h"
#include "interval_timer.h"
#include "page_map.h"
#include "regions.h"
#include "signal_state.h"

namespace unixemu {

// Zombie: ended, its wait status kept for its parent (its memory and Cache Kernel objects
// are freed at once by the first thread; `cleaned` says so).
enum class ProcessState : uint8_t { Free, Running, Zombie };

struct Process {
  static constexpr uint32_t kExeBytes = 128;

  ProcessState state = ProcessState::Free;
  // The thread group's leader, whose slot holds what the group shares; nullptr for the
  // leader itself (every process's first thread).
  Process* leader = nullptr;
  Process& group() { return leader != nullptr ? *leader : *this; }
  const Process& group() const { return leader != nullptr ? *leader : *this; }
  bool is_leader() const { return leader == nullptr; }
  // pid: this thread's id (the process id for the leader); tgid() the process's id.
  uint32_t tgid() const { return group().pid; }
  uint32_t pid = 0, ppid = 0;
  uint32_t pgid = 0, sid = 0;   // its process group and session (setpgid, setsid)
  ck_id space = 0, thread = 0;  // the Cache Kernel's, as loaded now (0: not loaded)
  Regions regions;
  PageMap pages;
  uint32_t brk_start = 0, brk = 0;  // the heap: [brk_start, page_up(brk)) is a region
  uint32_t cwd = 0;                 // a node of the file tree
  FdTable fds;
  uint32_t exec_pc = 0, exec_sp = 0;  // set by execve: the thread starts over there
  // A system call made again after its thread was written back in its handler (the
  // Cache Kernel does so only when it must): how much of its output the first attempt
  // had already written, so that the console never shows it twice.
  volatile uint32_t output_done = 0;    // this call's bytes queued so far (console_queue)
  bool redo = false;                    // the next call at redo_pc is a repeat
  uint32_t redo_pc = 0, redo_skip = 0;  // ... whose first redo_skip bytes are out
  uint32_t output_skip = 0;             // this call's bytes not to write again
  // A read of the console that waits for a line: its thread is unloaded meanwhile.
  bool reading_console = false;
  uint32_t read_va = 0, read_count = 0;
  uint32_t tls = 0;              // set_thread_area's value
  uint32_t clear_child_tid = 0;  // set_tid_address's
  uint32_t robust_list = 0;      // set_robust_list's head (futex.h)
  // Signal dispositions and mask, recorded (delivery is issue 18): each action as
  // rt_sigaction's struct, as the program gave it. The leader's only (a thread's are never
  // read); whoever takes a slot sets them (fork copies its parent's, a new program's and a
  // new thread's are cleared): a release leaves them, as clearing 1,280 bytes there cost
  // every fork about 450 instructions (issue 18 item 11).
  uint8_t actions[64][20] = {};  // linux_abi::kSigactionBytes each (sys_process.cpp checks)
  uint64_t signal_mask = 0;
  // Signals sent to it and not acted on yet (caught or blocked ones: delivery is for the
  // signals work of issue 18), bit n-1 for signal n, and their siginfo (an entry means
  // something only while its signal is pending: record_signal writes it as it sets the
  // bit, so a release leaves it, as shared_info's).
  uint64_t pending_signals = 0;
  PendingInfo pending_info[64] = {};
  // The leader's: signals sent to the process while every thread blocked them, and their
  // siginfo (Linux's shared pending set): the first thread to unblock or wait for one
  // takes it (signal_delivery.h).
  uint64_t shared_signals = 0;
  PendingInfo shared_info[64] = {};
  SignalState sig;  // the alternate stack, the signal path's (signal_state.h)
  // vfork: the parent waits while vfork_parent is set (the child's), and gets its
  // child's pid back when it makes its call again (vfork_child, the parent's).
  uint32_t vfork_parent = 0, vfork_child = 0;
  bool execed = false;  // since its fork (setpgid by its parent is then EACCES)
  // The leader's: the start-up history its first faults after an execve go to (1 + its
  // slot; 0: none) and how many it has had (startup_history.h).
  uint8_t history = 0, history_faults = 0;
  uint32_t program = 0;  // the leader's: its program's file node (0: not known)
  // Processor time of its threads before the current one (CLOCK_PROCESS_CPUTIME_ID), and
  // the current one's as last seen (the first thread samples it).
  uint64_t cpu_before = 0, cpu_seen = 0;
  uint64_t ended_threads_cpu = 0;  // the leader's: what its group's ended threads used
  // The leader's: ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF (sys_timer.cpp).
  static constexpr uint32_t kTimers = 3;
  IntervalTimer timers[kTimers];
  uint32_t umask = 0;        // 022 from its start (kept zero here: the table stays in .bss)
  uint32_t wait_status = 0;  // as wait4 reports it: exit code << 8, or the signal
  char exe[kExeBytes] = {};  // its program's absolute path, links resolved (/proc/self/exe)
  // Its command name (Linux's comm: the last component of the path execve was given,
  // a script's for a script, 15 bytes at most): what ps shows.
  char comm[16] = {};
  // How it died, when a signal ended it (the emulator logs it).
  uint32_t death_pc = 0, death_address = 0;
  const char* death_reason = nullptr;
  // The thread's state when the Cache Kernel last wrote it back (reloaded from here).
  ck_thread_state saved{};
  bool thread_written_back = false;
  // A wait on a long-term event (blocking.h): while kind != None the thread stays out of
  // the Cache Kernel. `parking`: its thread is unloading itself for the wait.
  // `in_place`: its thread waits blocked in the Cache Kernel first (a short wait, blocking.h).
  Wait wait{};
  bool parking = false;
  bool in_place = false;
  bool timed_out = false;
  // A wait in place with no deadline is timed by the first thread's passes, not by a
  // timeout of its block (blocking.cpp): when a pass first saw it (0: not yet), and
  // whether a pass found it long enough in place (a long-term wait now).
  uint64_t in_place_seen = 0;
  bool in_place_over = false;
  // Its handler made a call again itself after a wait in place (blocking.cpp): once per
  // exception, so that its stack holds at most two attempts.
  bool made_again = false;
  // A call that blocked and is made again (pipes, poll, sleeps): what its first attempt
  // fixed, kept until the call returns. call_again: this attempt is a repeat;
  // call_deadline: its end in uptime_ns() (0: none); call_done: bytes it already moved.
  bool call_again = false;
  uint64_t call_deadline = 0;
  uint32_t call_done = 0;
  bool cleaned = false;  // a zombie whose memory and Cache Kernel objects are freed
  // Threads (process_threads.h). A thread slot whose thread ended (Zombie, not a leader) keeps its
  // Cache Kernel thread in `exiting` until the first thread unloads it and frees the slot. A
  // leader's exit records its own thread there too (it unloads itself after letting the lock
  // go): finish_process unloads what is left of a group's, so that a kept space has no thread.
  ck_id exiting = 0;
  // The leader whose own thread ended (exit) while others of its group go on: the process
  // ends with `thread_gone_status` when its last thread does.
  bool thread_gone = false;
  uint32_t thread_gone_status = 0;
  // A futex wait (futex.h): its futex's key (owner and word), the bitset, the order it
  // began in (wakes take the oldest first), and whether a wake ended it; futex_pi: a
  // FUTEX_LOCK_PI wait, which only an unlock ends (handing it the lock: futex_woken).
  uint32_t futex_owner = 0, futex_address = 0, futex_bitset = 0;  // the key (futex.cpp)
  uint32_t futex_ticket = 0;
  bool futex_woken = false;
  bool futex_pi = false;
};

class ProcessTable {
 public:
  static constexpr uint32_t kMax = 64;
  // A free slot, marked Running with the next pid; nullptr when the table is full.
  Process* allocate(uint32_t ppid);
  // The thread an exception came from: its Cache Kernel thread's cookie is its slot, and
  // `space` must be its group's. Inline: every exception asks.
  Process* by_thread(ck_id space, uint32_t thread_cookie) {
    if (thread_cookie >= kMax) return nullptr;
    Process& p = processes_[thread_cookie];
    return p.state != ProcessState::Free && p.group().space == space ? &p : nullptr;
  }
  // A process (a group's leader) by its pid; by_tid: any thread, leaders included.
  Process* by_pid(uint32_t pid);
  Process* by_tid(uint32_t tid);
  // Pids are handed out from here on (the test runner stands as pid 1 itself).
  void set_next_pid(uint32_t pid) { next_pid_ = pid; }
  Process& slot(uint32_t i) { return processes_[i]; }
  uint32_t index_of(const Process& p) const { return static_cast<uint32_t>(&p - processes_); }
  void release(Process& p);
  // Calls f(p) for each slot that is not free as the call starts, in slot order (f may
  // free slots; one allocated meanwhile is not visited). The first thread's pass looks at
  // the processes several times: a word of marks, not every slot (issue 18 item 11).
  template <typename F>
  void for_each_used(F&& f) {
    for (uint32_t w = 0; w < kMax / 32; ++w)
      for (uint32_t bits = used_[w]; bits != 0; bits &= bits - 1)
        f(processes_[w * 32 + static_cast<uint32_t>(__builtin_ctz(bits))]);
  }
  // The first slot in use for which `match` is true, or nullptr.
  template <typename F>
  Process* find_used(F&& match) {
    for (uint32_t w = 0; w < kMax / 32; ++w)
      for (uint32_t bits = used_[w]; bits != 0; bits &= bits - 1) {
        Process& p = processes_[w * 32 + static_cast<uint32_t>(__builtin_ctz(bits))];
        if (match(p)) return &p;
      }
    return nullptr;
  }

 private:
  Process processes_[kMax];
  uint32_t used_[kMax / 32] = {};  // a bit per slot that is not free
  uint32_t next_pid_ = 0;          // 0: the first is 1 (zero-initialized: the table lies in .bss)
};
// Inline: the emulator's loops over the table call it for every slot.
extern ProcessTable g_process_table;
inline ProcessTable& processes() { return g_process_table; }

// Each process thread's exception stack (in the emulator's space; the handler runs on
// it, paper §2.1), one per process slot, and where the Cache Kernel puts the exception
// frame on it (ck/abi.h).
uint32_t exception_stack_top(uint32_t slot);
ck_exception& exception_frame(uint32_t slot);

}  // namespace unixemu
