// How processes end and are reaped (process_end.h).
#include "process_end.h"

#include "emulator.h"
#include "emulator_lock.h"
#include "futex.h"
#include "lib/endian.h"
#include "libak.h"
#include "linux_abi_process.h"
#include "orphaned_groups.h"
#include "process_threads.h"
#include "signal_post.h"
#include "syscalls.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

bool ignores_children(const Process& parent) {
  const uint8_t* action = parent.group().actions[abi::kSIGCHLD - 1];
  return ck::load_be32(action) == abi::kSIG_IGN || (ck::load_be32(action + 4) & abi::kSA_NOCLDWAIT) != 0;
}

// Its parent hears of it: woken from wait4/waitid, and sent SIGCHLD (ignored unless it
// catches it) with siginfo's CLD_EXITED or CLD_KILLED, the child's pid and status.
void tell_parent(Process& child) {
  Process* parent = processes().by_pid(child.ppid);
  if (parent == nullptr || parent->state != ProcessState::Running) return;
  wake_child_waiters(*parent);
  const uint32_t signal = child.wait_status & 0x7f;
  post_signal(*parent, abi::kSIGCHLD, signal != 0 ? abi::kCLD_KILLED : abi::kCLD_EXITED, child.pid, 0,
              signal != 0 ? signal : (child.wait_status >> 8) & 0xff);
}

// Everything but its threads (ended before): process `p` (a leader) becomes a zombie.
void make_zombie(Process& p, uint32_t wait_status) {
  p.wait_status = wait_status;
  p.state = ProcessState::Zombie;
  p.wait = Wait{};
  p.parking = p.in_place = false;
  p.reading_console = false;
  p.thread_written_back = false;
  p.fds.close_all();  // at once: other processes see the files closed
  if (p.vfork_parent != 0) {
    wake_waiters(WaitKind::Vfork, p.pid);
    p.vfork_parent = 0;
  }
  uint64_t children = 0;
  processes().for_each_used([&](Process& child) {
    if (child.state == ProcessState::Free || !child.is_leader() || child.ppid != p.pid || &child == &p) return;
    child.ppid = kInitPid;
    children |= 1ull << processes().index_of(child);
    if (child.state == ProcessState::Zombie) tell_parent(child);
  });
  hang_up_orphaned(p, children);
  tell_parent(p);
  zombie_made(p);  // the first thread frees its memory and objects, unless a parent reaps it first
}

}  // namespace

void wake_child_waiters(Process& parent) {
  processes().for_each_used([&](Process& t) {
    if (t.state == ProcessState::Running && &t.group() == &parent && t.wait.kind == WaitKind::Child) wake_process(t);
  });
}

[[noreturn]] void exit_process(Process& p, uint32_t wait_status) {
  const ck_id self = p.thread;
  // Forgotten first: the writeback of its own unload is then not taken for a displacement.
  p.thread = 0;
  // exit_group: every other thread ends; a thread's own slot is freed by the first thread.
  Process& leader = p.group();
  release_robust_futexes(p);
  end_threads(leader, &p);
  if (!p.is_leader()) p.state = ProcessState::Zombie;
  // (A leader's too: its space may be kept, and no thread may be left in it: finish_process.)
  p.exiting = self;
  make_zombie(leader, wait_status);
  emulator_lock().release();
  unload_self_for_good(self);
}

void terminate_process(Process& target, uint32_t wait_status) {
  Process& leader = target.group();
  if (leader.state != ProcessState::Running) return;
  end_threads(leader, nullptr);  // wherever they are: running, waiting, blocked, unloaded
  make_zombie(leader, wait_status);
}

bool reaped_by_nobody(const Process& z) {
  const Process* parent = processes().by_pid(z.ppid);
  return parent == nullptr || parent->state != ProcessState::Running || ignores_children(*parent);
}

void reap(Process& z) {
  finish_process(z);
  processes().release(z);
}

}  // namespace unixemu
