// The emulator's state and its first thread's work (emulator.h).
#include "emulator.h"

#include <string.h>

#include "console.h"
#include "emulator_lock.h"
#include "exec.h"
#include "file_tree.h"
#include "libak.h"
#include "linux_abi.h"
#include "physical_memory.h"
#include "pipe.h"
#include "process_end.h"
#include "process_threads.h"
#include "random.h"
#include "scheduler.h"
#include "signal_delivery.h"
#include "space_pool.h"
#include "syscalls.h"
#include "terminal_control.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

FileTree g_tree;
uint32_t g_awaited = 0;  // the pid wait_process waits for (the first thread reaps it)
ck_id g_main_thread = 0, g_home_space = 0;

// Writeback for the emulator's processes: a space or thread the Cache Kernel displaced
// is marked to be reloaded; mappings come back on the next fault by themselves.
class Writeback final : public ak::WritebackHandler {
 public:
  void thread(const ck_writeback& r, const ck_thread_state& state) override {
    Process* p = r.cookie < ProcessTable::kMax ? &processes().slot(r.cookie) : nullptr;
    // An exit unloads its own thread after forgetting it: that record is not for us.
    if (p == nullptr || p->state != ProcessState::Running || p->thread != r.id) return;
    p->thread = 0;
    p->saved = state;
    p->in_place = false;  // a short wait's thread: loaded again once woken (redo, below)
    // A thread written back while it waited for the emulator's lock waits no more.
    emulator_lock().forget_waiter(r.cookie);
    // Its processor time so far (as last sampled) goes on with the next thread.
    p->cpu_before += p->cpu_seen;
    p->cpu_seen = 0;
    if (p->reading_console) {
      scheduler().waited_long(r.cookie);  // terminal input: favoured when it comes (§2.3)
      return;                             // console_reads() loads it with the read's result
    }
    const ck_exception& f = exception_frame(r.cookie);
    const bool in_call =
        (r.flags & CK_WB_IN_EXCEPTION) != 0 && f.thread == r.id && f.kind == CK_EXC_TRAP && f.vector == 0;
    if (p->parking) {
      // It unloaded itself to wait (blocking.h): its call is made again once woken.
      p->parking = false;
      scheduler().waited_long(r.cookie);  // favoured when woken (§2.3)
      if (in_call && f.address != kSystemCallDone) p->saved.regs.pc -= 2;
      p->thread_written_back = true;
      return;
    }
    // Displaced in its handler: the state is the one before the exception. A page fault
    // is taken again. A system call (the frame on its exception stack is the latest
    // exception's, written by the Cache Kernel for this thread) not done yet is made
    // again, its pc back on the trap; a done one resumes as the call left it.
    if (in_call) {
      if (f.address == kSystemCallDone) {
        p->saved.regs = f.regs;
      } else {
        console_abandon(r.cookie + 1);  // if it was queuing, its bytes were not counted
        p->saved.regs.pc -= 2;
        p->redo = true;
        p->redo_pc = p->saved.regs.pc;
        // What is out: this attempt's count, or, if it was itself a repeat that had not
        // caught up yet, what the attempts before it wrote.
        p->redo_skip = p->output_done > p->output_skip ? p->output_done : p->output_skip;
      }
    }
    p->thread_written_back = true;
    // Unloaded to act on its signals (signal_delivery.h), not displaced.
    if (!p->sig.interrupt) displacements().threads += 1;
  }
  void mapping(const ck_writeback& r) override {
    // The page keeps its frame in the page map: its next fault loads the mapping again.
    if ((r.flags & CK_WB_RECLAIMED) != 0) displacements().mappings += 1;
  }
  void space(const ck_writeback& r) override {
    if (kept_space_gone(r.id)) return;  // an ended process's, kept (space_pool.h)
    Process* p = r.cookie < ProcessTable::kMax ? &processes().slot(r.cookie) : nullptr;
    if (p == nullptr || p->state == ProcessState::Free || p->space != r.id) {
      // A kept space a forked child took: its cookie is the slot of the process it was
      // loaded for.
      p = nullptr;
      processes().for_each_used([&](Process& q) {
        if (q.is_leader() && q.state != ProcessState::Free && q.space == r.id) p = &q;
      });
      if (p == nullptr) return;
    }
    p->space = 0;
    displacements().spaces += 1;
  }
};

}  // namespace

FileTree& file_tree() { return g_tree; }
Displacements& displacements() {
  static Displacements d;
  return d;
}
ck_id main_thread() { return g_main_thread; }
void set_main_thread(ck_id thread) { g_main_thread = thread; }
ck_id home_space() { return g_home_space; }
void set_home_space(ck_id space) { g_home_space = space; }

uint32_t boot_seconds() {
  static const uint32_t seconds = ak::query(CK_QUERY_BOOT_SECONDS).value;
  return seconds;
}

uint64_t uptime_ns() {
  static uint32_t last = 0, wraps = 0;
  const uint32_t now = ak::now();
  if (now < last) wraps += 1;
  last = now;
  return static_cast<uint64_t>(wraps) << 32 | now;
}

void random_bytes(void* out, uint32_t bytes) { ak::random_bytes(out, bytes); }

void drain_ring() {
  static Writeback writeback;
  ak::WritebackReader ring(ak::boot_info().ring);
  writeback.dispatch(ring);
}

void unload_mapping_surely(ck_id space, uint32_t va) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    if (ak::unload_mapping(space, va) != CK_E_RETRY) return;
    drain_ring();
  }
}

void unload_thread_surely(ck_id thread) {
  for (int attempt = 0; thread != 0 && attempt < 1000; ++attempt) {
    if (ak::unload_thread(thread) != CK_E_RETRY) break;
    drain_ring();
  }
}

namespace {

// Whether any thread of process `leader` is in the Cache Kernel, or holds the lock.
bool all_threads_out(const Process& leader) {
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& t = processes().slot(i);
    if (t.state == ProcessState::Running && &t.group() == &leader && t.thread != 0) return false;
  }
  return true;
}
bool holds_lock(const Process& leader) {
  const ck_id holder = emulator_lock().holder();
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& t = processes().slot(i);
    if (t.state != ProcessState::Free && &t.group() == &leader && t.thread != 0 && t.thread == holder) return true;
  }
  return false;
}

}  // namespace

bool evict_space(const Process* keep) {
  static uint32_t hand = 0;
  if (release_kept_space()) return true;  // no process's
  // Processes whose thread is out of the Cache Kernel (waiting) first, then any.
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t n = 0; n < ProcessTable::kMax; ++n) {
      const uint32_t i = (hand + n) % ProcessTable::kMax;
      Process& q = processes().slot(i);
      // Never the caller's own (the lock's holder is the thread running this).
      if (!q.is_leader() || (keep != nullptr && &q == &keep->group()) || q.state != ProcessState::Running ||
          q.space == 0 || (pass == 0 && !all_threads_out(q)) || holds_lock(q))
        continue;
      const ck_id space = q.space;
      int32_t s = ak::unload_space(space);
      for (uint32_t calls = 0; (s == CK_E_PARTIAL || s == CK_E_RETRY) && calls < 100000; ++calls) {
        drain_ring();
        s = ak::unload_space(space);
      }
      drain_ring();  // its thread's record: loaded again by the first thread
      hand = i + 1;
      return true;
    }
  }
  return false;
}

namespace {

// The space of `p`'s group (its cookie the leader's slot: written back, it is the
// leader's to reload).
int32_t load_space(Process& p) {
  const ak::CallResult r = ak::load_space(0, processes().index_of(p.group()), 0);
  if (!r.ok()) return r.status;
  p.group().space = r.value;
  return CK_OK;
}

int32_t load_thread(Process& p, const ck_thread_state& state) {
  const uint32_t slot = processes().index_of(p);
  // At its level (scheduler.h): its base again after a long-term wait, else where the
  // scheduling thread last put it.
  const uint32_t priority = scheduler().priority_at_load(slot);
  const ak::CallResult r = ak::load_thread(p.group().space, slot, priority << CK_PRIORITY_SHIFT, state);
  if (!r.ok()) return r.status;
  p.thread = r.value;
  return CK_OK;
}

// Loads `p`'s space (if it has none) and a thread in `state`: CK_OK or the status. A full
// ring is drained and the load made again; a cache full of what others locked (no
// descriptor to reclaim now) is waited on, a tick at a time, for up to 3 seconds (not at
// all when `wait` is false).
int32_t load_objects(Process& p, const ck_thread_state& state, bool wait = true) {
  int32_t s = CK_E_RETRY;
  for (int attempt = 0; attempt < 300 && (s == CK_E_RETRY || (wait && s == CK_E_NO_DESCRIPTOR)); ++attempt) {
    s = p.group().space == 0 ? load_space(p) : CK_OK;
    if (s == CK_OK) s = load_thread(p, state);
    // The space left the cache between the two loads (displaced, its record not read
    // yet): loaded again.
    if (s == CK_E_STALE_ID) {
      drain_ring();
      p.group().space = 0;
      s = CK_E_RETRY;
    }
    if (s == CK_E_RETRY) drain_ring();
    if (wait && s == CK_E_NO_DESCRIPTOR) ak::block_self(10 * 1000 * 1000);
    if (s == CK_E_NO_TABLES && evict_space(&p)) s = CK_E_RETRY;
  }
  return s;
}

}  // namespace

int32_t load_process(Process& p, const ck_thread_state& state) { return load_objects(p, state); }

int32_t load_or_defer(Process& p, const ck_thread_state& state) {
  const int32_t s = load_objects(p, state, false);
  if (s != CK_E_NO_DESCRIPTOR) return s;
  p.saved = state;
  p.thread_written_back = true;
  return CK_OK;
}

[[noreturn]] void unload_self_for_good(ck_id self) {
  for (;;) {
    if (ak::unload_thread(self) != CK_E_RETRY) break;
    ak::wake(main_thread());  // it reads the full ring (an exit no longer wakes it: zombie_made)
    ak::block_self(1);
  }
  for (;;) {
  }
}

[[noreturn]] void block_thread(Process& p) {
  const ck_id self = p.thread;
  emulator_lock().release();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    if (ak::unload_thread(self) != CK_E_RETRY) break;
    ak::wake(main_thread());  // it reads the full ring
    ak::block_self(1);
  }
  for (;;) {
  }
}

void console_reads() {
  // Each process thread's processor time, sampled every pass (what a written-back thread
  // used since the last sample is the only time lost from CLOCK_PROCESS_CPUTIME_ID).
  processes().for_each_used([](Process& p) {
    ck_thread_stats stats{};
    if (p.state == ProcessState::Running && p.thread != 0 && ak::thread_stats(p.thread, &stats) == CK_OK)
      p.cpu_seen = stats.run_ns;
  });
  const bool was_readable = console_readable();
  signal_foreground(console_poll());
  // A line (or an end of file) typed: poll and select may be waiting for it.
  if (!was_readable && console_readable()) wake_waiters(WaitKind::Pipe, Pipes::kAnyChange);
  processes().for_each_used([](Process& p) {
    if (p.state != ProcessState::Running || !p.reading_console || p.thread != 0) return;
    char line[256];
    uint32_t n;
    if (!console_take(line, p.read_count < sizeof line ? p.read_count : sizeof line, &n)) return;
    const int32_t s = copy_out(p, p.read_va, line, n);
    p.saved.regs.d[0] = s != 0 ? static_cast<uint32_t>(s) : n;
    p.reading_console = false;
    p.thread_written_back = true;  // reload_displaced() loads it
  });
  reload_displaced();
}

void reload_displaced() {
  processes().for_each_used([](Process& p) {
    if (p.state != ProcessState::Running || !p.thread_written_back || p.wait.kind != WaitKind::None || p.sig.stopped)
      return;
    // Signals are acted on where the signal path asked (a thread woken from a wait makes
    // its call again first, which ends with EINTR or ERESTARTSYS and asks then).
    if (p.sig.interrupt && !act_on_signals(p)) return;  // a signal ended or stopped it
    if (load_objects(p, p.saved) == CK_OK) p.thread_written_back = false;
  });
}

namespace {

// fds 0, 1 and 2 of a new process: 0 or -ENFILE.
int32_t open_stdio(Process& p, Stdio stdio) {
  uint32_t input = OpenFiles::kNone, output = OpenFiles::kNone;
  if (stdio == Stdio::Console) {
    input = output = open_files().open(FileKind::Console, 0, abi::kO_RDWR);
  } else {
    uint32_t null;
    if (file_tree().resolve(FileTree::kRoot, "/dev/null", 9, true, &null) == 0 &&
        file_tree().node(null).device == Device::Null)
      input = open_files().open(FileKind::Null, null, abi::kO_RDONLY);
    output = open_files().open(FileKind::ConsoleStream, 0, abi::kO_WRONLY);
  }
  if (input == OpenFiles::kNone || output == OpenFiles::kNone) {
    if (input != OpenFiles::kNone) open_files().unref(input);
    if (output != OpenFiles::kNone && output != input) open_files().unref(output);
    return -abi::kENFILE;
  }
  p.fds.install_at(0, input, false);
  if (output == input) open_files().ref(output);
  p.fds.install_at(1, output, false);
  open_files().ref(output);
  p.fds.install_at(2, output, false);
  return 0;
}

}  // namespace

int32_t start_process(const char* path, const char* const* argv, uint32_t argc, const char* const* envp, uint32_t envc,
                      uint32_t ppid, Stdio stdio) {
  uint32_t node;
  const uint32_t length = static_cast<uint32_t>(strlen(path));
  if (const int32_t s = check_executable(FileTree::kRoot, path, length, &node); s != 0) return s;
  ExecArgs args{argv, argc, envp, envc};
  Program program;
  const char* program_path;
  if (const int32_t s = find_executable(FileTree::kRoot, path, length, &args, &node, &program, &program_path); s != 0)
    return s;
  Process* p = processes().allocate(ppid);
  if (p == nullptr) return -abi::kEAGAIN;
  const uint32_t slot = processes().index_of(*p);
  scheduler().started(slot);
  memset(p->actions, 0, sizeof p->actions);  // every signal's default action (a release leaves them)
  p->program = node;
  p->cwd = FileTree::kRoot;
  p->umask = 022;
  int32_t status = open_stdio(*p, stdio);
  if (status == 0 && stdio == Stdio::Console) terminal_attach(*p);  // its controlling terminal
  ck_thread_state state{};
  if (status == 0) status = load_image(*p, node, program, program_path, args, &state.regs.pc, &state.regs.a[7]);
  if (status == 0) {
    state.exception_stack = exception_stack_top(slot);
    // get_thread_area answered by the Cache Kernel from the thread's value (p.tls).
    state.value_call = linux_abi::kGetThreadArea;
    state.value = 0;
    if (const int32_t loaded = load_objects(*p, state); loaded != CK_OK) {
      // (Seen once in 47 programs beside the hostile kernel of the displacement run, before a
      // space displaced between the two loads was loaded again.)
      ak::print("unix: pid {}: the Cache Kernel did not load its space and thread: status {}\n", p->pid, loaded);
      status = -abi::kENOMEM;
    }
  }
  if (status != 0) {
    p->state = ProcessState::Zombie;
    wait_process(p->pid);
    return status;
  }
  return static_cast<int32_t>(p->pid);
}

void finish_process(Process& p) {
  if (p.cleaned) return;
  p.cleaned = true;
  // Its space leaves the Cache Kernel (with its mappings; a few objects a call), then
  // its frames and tables are freed.
  const ck_id space = p.space;
  p.space = 0;
  p.thread = 0;
  // Threads of the group still on their way out (an exit unloads its own thread after
  // letting the lock go; an ended thread's slot waits for the first thread) are unloaded
  // now, as the space's unload took them: a kept space must have none (space_pool.h).
  if (space != 0) {
    const auto unload_leftover = [](Process& q) {
      unload_thread_surely(q.exiting);
      q.exiting = 0;
    };
    unload_leftover(p);
    processes().for_each_used([&](Process& q) {
      if (q.state == ProcessState::Zombie && q.leader == &p) unload_leftover(q);
    });
  }
  // Kept for the next fork if no space is (space_pool.h), else unloaded.
  const bool keep = space != 0 && keep_space_begin(space);
  if (space != 0 && !keep) {
    // The mappings its page map may have loaded first, one CK_UNLOAD_MAPPING each (about
    // 720 instructions with its writeback record): a CK_UNLOAD_SPACE of a space that holds
    // them goes 4 objects a call, each call planning and walking the space again, about
    // 930 a mapping with the ring drained between (issue 18 item 11: fork + exit + wait's
    // child's end 20,500 -> 15,100 instructions). The space unload then has what the page
    // map does not know of (none, normally) and the space itself.
    p.pages.for_each_loaded(0, 0xffffffffu, [&](uint32_t va, uint32_t, uint32_t loaded) {
      if (loaded != 0) unload_mapping_surely(space, va);
    });
    int32_t s = ak::unload_space(space);
    for (uint32_t calls = 0; (s == CK_E_PARTIAL || s == CK_E_RETRY) && calls < 100000; ++calls) {
      drain_ring();
      s = ak::unload_space(space);
    }
  }
  // Each page's frame freed (the tables go whole: no entry cleared one by one), and the
  // kept space's mappings sorted in the same walk (no thread runs in that space: its
  // mappings hold no reference to their frames, space_pool.h).
  p.pages.for_each_loaded(0, 0xffffffffu, [&](uint32_t va, uint32_t frame, uint32_t loaded) {
    if (keep) keep_space_page(space, va, frame, loaded);
    memory().free(frame);
  });
  if (keep) keep_space_end(space);
  drain_ring();
  console_flush();  // what it wrote, before anything about its end
  p.pages.release();
  p.fds.close_all();
}

void zombie_made(const Process& z) {
  if (z.pid == g_awaited || reaped_by_nobody(z)) ak::wake(main_thread());
}

void first_thread_pass() {
  unload_interrupted();
  drain_ring();
  expire_waits(uptime_ns());  // (it counts the clock's wraps too)
  fire_timers();
  console_reads();
  free_ended_threads();
  processes().for_each_used([](Process& p) {
    if (p.state != ProcessState::Zombie || !p.is_leader()) return;
    if (!p.cleaned) finish_process(p);
    // Nobody's to reap (the process wait_process waits for is its caller's).
    if (p.pid != g_awaited && reaped_by_nobody(p)) processes().release(p);
  });
  console_flush();
}

uint32_t end_leftovers(uint32_t patience_ns) {
  const uint64_t deadline = uptime_ns() + patience_ns;
  const auto running = [] {
    uint32_t n = 0;
    for (uint32_t i = 0; i < ProcessTable::kMax; ++i) n += processes().slot(i).state != ProcessState::Free ? 1 : 0;
    return n;
  };
  while (running() != 0 && uptime_ns() < deadline) {
    first_thread_pass();
    if (running() != 0) first_thread_idle(10 * 1000 * 1000);
  }
  uint32_t killed = 0;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& p = processes().slot(i);
    if (p.state != ProcessState::Running) continue;
    terminate_process(p, linux_abi::kSIGKILL);
    killed += 1;
  }
  first_thread_pass();
  return killed;
}

void first_thread_idle(uint32_t timeout_ns) {
  emulator_lock().release();
  ak::block_self(timeout_ns);
  emulator_lock().acquire(main_thread(), kFirstThreadPlace);
}

uint32_t wait_process(uint32_t pid, Death* death) {
  Process* p = processes().by_pid(pid);
  if (p == nullptr) return 0;
  g_awaited = pid;
  while (p->state != ProcessState::Zombie) {
    first_thread_pass();
    // The exit wakes it (a wake that comes first is kept); writeback is looked at every
    // 10 ms meanwhile.
    if (p->state != ProcessState::Zombie) first_thread_idle(10 * 1000 * 1000);
  }
  finish_process(*p);
  const uint32_t status = p->wait_status;
  if (death != nullptr)
    *death = Death{.pid = p->pid,
                   .signal = status & 0x7f,
                   .pc = p->death_pc,
                   .address = p->death_address,
                   .reason = p->death_reason};
  processes().release(*p);
  g_awaited = 0;
  return status;
}

}  // namespace unixemu
