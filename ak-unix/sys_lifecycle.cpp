// Process life-cycle system calls (syscalls.h; issue 18 item 1): fork, vfork and clone
// as glibc's fork calls it, exit and exit_group, wait4/waitpid/waitid, kill/tkill/tgkill,
// rt_sigqueueinfo/rt_tgsigqueueinfo (sigqueue, signal_queue.h), getppid and process groups and sessions (getpgrp,
// getpgid, setpgid, getsid, setsid), with Linux's errors. Waits block on blocking.h: the call is made again when a
// child changes state.
#include "blocking.h"
#include "emulator.h"
#include "fork.h"
#include "interruption.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "process_end.h"
#include "process_threads.h"
#include "signal_frame.h"
#include "signal_post.h"
#include "signal_queue.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr int32_t kIntMin = -2147483647 - 1;

// exit ends the calling thread (the process with its last thread); exit_group them all.
uint32_t sys_exit(Process& p, const SyscallArgs& a) { exit_thread(p, (a[0] & 0xff) << 8); }
uint32_t sys_exit_group(Process& p, const SyscallArgs& a) { exit_process(p, (a[0] & 0xff) << 8); }

// fork, vfork and clone. A vfork parent waits (blocked) until its child execs or ends;
// the child's writes go to copy-on-write copies, not the parent's memory (a program that
// keeps to vfork's rules cannot tell; a posix_spawn child's report of a failed exec
// through shared memory is not seen, the exit status 127 is). The parent's mappings stay
// writable meanwhile (fork.cpp: nothing of it is unloaded, so it faults nothing back).
uint32_t do_fork(Process& p, const ForkRequest& q) {
  int32_t failure = 0;
  Process* child = fork_process(p, q, &failure);
  return child != nullptr ? child->pid : error(-failure);
}

uint32_t do_vfork(Process& p, const ForkRequest& q) {
  if (p.vfork_child != 0) {  // the call made again after (or during) the wait
    const Process* child = processes().by_pid(p.vfork_child);
    if (child != nullptr && child->state == ProcessState::Running && child->vfork_parent == p.pid)
      block_process(p, WaitKind::Vfork, p.vfork_child);
    const uint32_t pid = p.vfork_child;
    p.vfork_child = 0;
    return pid;
  }
  int32_t failure = 0;
  Process* child = fork_process(p, q, &failure);
  if (child == nullptr) return error(-failure);
  child->vfork_parent = p.pid;
  p.vfork_child = child->pid;
  block_process(p, WaitKind::Vfork, child->pid);
}

uint32_t sys_fork(Process& p, const SyscallArgs&) { return do_fork(p, ForkRequest{.flags = abi::kSIGCHLD}); }
uint32_t sys_vfork(Process& p, const SyscallArgs&) {
  return do_vfork(p, ForkRequest{.flags = abi::kCLONE_VM | abi::kCLONE_VFORK | abi::kSIGCHLD});
}

// clone(flags, stack, parent_tid, child_tid, tls) (m68k's argument order): a new process
// (fork, vfork), or a thread as glibc's pthread_create asks for one (process_threads.h). Other
// sharing (CLONE_VM without a thread, CLONE_SIGHAND without one, a thread without its
// files or working directory shared) is not done here: ENOSYS.
uint32_t sys_clone(Process& p, const SyscallArgs& a) {
  const uint32_t flags = a[0];
  if ((flags & abi::kCLONE_NAMESPACES) != 0) return error(abi::kEINVAL);
  if ((flags & abi::kCLONE_THREAD) != 0 && (flags & abi::kCLONE_SIGHAND) == 0) return error(abi::kEINVAL);
  if ((flags & abi::kCLONE_SIGHAND) != 0 && (flags & abi::kCLONE_VM) == 0) return error(abi::kEINVAL);
  const ForkRequest q{.flags = flags, .stack = a[1], .parent_tid = a[2], .child_tid = a[3], .tls = a[4]};
  if ((flags & abi::kCLONE_THREAD) != 0) {
    if (!thread_flags_valid(flags) || (flags & (abi::kCLONE_VFORK | abi::kCLONE_PIDFD)) != 0)
      return error(abi::kENOSYS);
    int32_t failure = 0;
    const Process* t = create_thread(p, q, &failure);
    return t != nullptr ? t->pid : error(-failure);
  }
  if ((flags & abi::kCLONE_VM) != 0 && (flags & abi::kCLONE_VFORK) == 0) return error(abi::kENOSYS);
  if ((flags & (abi::kCLONE_SIGHAND | abi::kCLONE_PIDFD)) != 0) return error(abi::kENOSYS);
  return (flags & abi::kCLONE_VFORK) != 0 ? do_vfork(p, q) : do_fork(p, q);
}

// Which children a wait is about: pid > 0 that one, 0 the caller's group, -1 any, < -1
// the group -pid.
struct Selection {
  enum class By : uint8_t { Any, Pid, Group } by = By::Any;
  uint32_t id = 0;
  bool matches(const Process& parent, const Process& c) const {
    if (c.state == ProcessState::Free || !c.is_leader() || c.ppid != parent.tgid() || &c == &parent.group())
      return false;
    switch (by) {
      case By::Pid:
        return c.pid == id;
      case By::Group:
        return c.pgid == id;
      case By::Any:
        return true;
    }
    return false;
  }
};

// What a wait reports of a child: its end, its stop, its continuing.
enum class Change : uint8_t { None, Exited, Stopped, Continued };
Change change_of(const Process& c, bool exited, bool stopped, bool continued) {
  if (c.state == ProcessState::Zombie) return exited ? Change::Exited : Change::None;
  if (stopped && c.sig.report_stop) return Change::Stopped;
  if (continued && c.sig.report_continue) return Change::Continued;
  return Change::None;
}

// The oldest matching child (pids only grow) with a change the wait asks for, or
// nullptr; *any: whether any child matches at all.
Process* find_changed(Process& parent, const Selection& s, bool exited, bool stopped, bool continued, bool* any,
                      Change* change) {
  Process* found = nullptr;
  *any = false;
  processes().for_each_used([&](Process& c) {
    if (!s.matches(parent, c)) return;
    *any = true;
    const Change ch = change_of(c, exited, stopped, continued);
    if (ch != Change::None && (found == nullptr || c.pid < found->pid)) {
      found = &c;
      *change = ch;
    }
  });
  return found;
}

int32_t put_zeros(Process& p, uint32_t va, uint32_t bytes) {
  uint8_t zeros[abi::sigchld_info_layout::kBytes] = {};
  return copy_out(p, va, zeros, bytes);
}

uint32_t do_wait4(Process& p, int32_t pid, uint32_t status_va, uint32_t options, uint32_t rusage_va) {
  constexpr uint32_t kKnown =
      abi::kWNOHANG | abi::kWUNTRACED | abi::kWCONTINUED | abi::kWNOTHREAD | abi::kWCLONE | abi::kWALL;
  if ((options & ~kKnown) != 0) return error(abi::kEINVAL);
  if (pid == kIntMin) return error(abi::kESRCH);
  Selection s;
  if (pid > 0) s = Selection{Selection::By::Pid, static_cast<uint32_t>(pid)};
  if (pid == 0) s = Selection{Selection::By::Group, p.group().pgid};
  if (pid < -1) s = Selection{Selection::By::Group, static_cast<uint32_t>(-pid)};
  bool any;
  Change change = Change::None;
  Process* z =
      find_changed(p, s, true, (options & abi::kWUNTRACED) != 0, (options & abi::kWCONTINUED) != 0, &any, &change);
  if (!any) return error(abi::kECHILD);
  if (z == nullptr) {
    if ((options & abi::kWNOHANG) != 0) return 0;
    if (signal_ends_wait(p)) return error(abi::kERESTARTSYS);
    block_process(p, WaitKind::Child, 0);
  }
  const uint32_t child = z->pid;
  uint32_t status = z->wait_status;
  // Linux's encodings: stopped (signal << 8) | 0x7f, continued 0xffff.
  if (change == Change::Stopped) {
    status = static_cast<uint32_t>(z->sig.stop_signal) << 8 | 0x7f;
    z->sig.report_stop = false;
  } else if (change == Change::Continued) {
    status = 0xffff;
    z->sig.report_continue = false;
  } else {
    reap(*z);
  }
  // Linux reaps first and reports a bad pointer after.
  if (status_va != 0) {
    uint8_t raw[4];
    ck::store_be32(raw, status);
    if (copy_out(p, status_va, raw, sizeof raw) != 0) return error(abi::kEFAULT);
  }
  if (rusage_va != 0 && put_zeros(p, rusage_va, abi::kRusageBytes) != 0) return error(abi::kEFAULT);
  return child;
}

uint32_t sys_wait4(Process& p, const SyscallArgs& a) {
  return do_wait4(p, static_cast<int32_t>(a[0]), a[1], a[2], a[3]);
}
uint32_t sys_waitpid(Process& p, const SyscallArgs& a) {
  return do_wait4(p, static_cast<int32_t>(a[0]), a[1], a[2], 0);
}

// waitid's siginfo for a child that ended, stopped or continued (zeros when WNOHANG found
// none).
int32_t put_child_info(Process& p, uint32_t va, const Process* z, Change change) {
  namespace L = abi::sigchld_info_layout;
  uint8_t info[L::kBytes] = {};
  if (z != nullptr) {
    const bool killed = (z->wait_status & 0x7f) != 0;
    int32_t code = killed ? abi::kCLD_KILLED : abi::kCLD_EXITED;
    uint32_t status = killed ? z->wait_status & 0x7f : (z->wait_status >> 8) & 0xff;
    if (change == Change::Stopped) {
      code = abi::kCLD_STOPPED;
      status = z->sig.stop_signal;
    } else if (change == Change::Continued) {
      code = abi::kCLD_CONTINUED;
      status = abi::kSIGCONT;
    }
    ck::store_be32(info + L::kSigno, abi::kSIGCHLD);
    ck::store_be32(info + L::kCode, static_cast<uint32_t>(code));
    ck::store_be32(info + L::kPid, z->pid);
    ck::store_be32(info + L::kStatus, status);
  }
  return copy_out(p, va, info, L::kBytes);
}

// waitid(idtype, id, infop, options, rusage).
uint32_t sys_waitid(Process& p, const SyscallArgs& a) {
  const uint32_t type = a[0], id = a[1], info_va = a[2], options = a[3];
  constexpr uint32_t kKnown = abi::kWNOHANG | abi::kWNOWAIT | abi::kWEXITED | abi::kWSTOPPED | abi::kWCONTINUED |
                              abi::kWNOTHREAD | abi::kWCLONE | abi::kWALL;
  if ((options & ~kKnown) != 0 || (options & (abi::kWEXITED | abi::kWSTOPPED | abi::kWCONTINUED)) == 0)
    return error(abi::kEINVAL);
  Selection s;
  switch (type) {
    case abi::kP_ALL:
      break;
    case abi::kP_PID:
      if (static_cast<int32_t>(id) <= 0) return error(abi::kEINVAL);
      s = Selection{Selection::By::Pid, id};
      break;
    case abi::kP_PGID:
      if (static_cast<int32_t>(id) < 0) return error(abi::kEINVAL);
      s = Selection{Selection::By::Group, id == 0 ? p.group().pgid : id};
      break;
    default:
      return error(abi::kEINVAL);  // P_PIDFD too: no pidfds here
  }
  bool any;
  Change change = Change::None;
  Process* z = find_changed(p, s, (options & abi::kWEXITED) != 0, (options & abi::kWSTOPPED) != 0,
                            (options & abi::kWCONTINUED) != 0, &any, &change);
  if (!any) return error(abi::kECHILD);
  if (z == nullptr && (options & abi::kWNOHANG) == 0) {
    if (signal_ends_wait(p)) return error(abi::kERESTARTSYS);
    block_process(p, WaitKind::Child, 0);
  }
  int32_t fault = info_va != 0 ? put_child_info(p, info_va, z, change) : 0;
  if (a[4] != 0 && fault == 0) fault = put_zeros(p, a[4], abi::kRusageBytes);
  if (z != nullptr && (options & abi::kWNOWAIT) == 0) {
    if (change == Change::Stopped) z->sig.report_stop = false;
    if (change == Change::Continued) z->sig.report_continue = false;
    if (change == Change::Exited) reap(*z);
  }
  return fault != 0 ? error(abi::kEFAULT) : 0;
}

// What a signal carries besides its number: siginfo's code and the three words of its
// union the emulator keeps (si_pid, si_uid, and si_status or si_value).
struct Sent {
  int32_t code;
  uint32_t w0, w1 = 0, w2 = 0;
};

// A signal from the caller to a thread of its own process (itself, or another).
void signal_own_thread(Process& p, Process& t, uint32_t signal, const Sent& m) {
  if (&t == &p) {
    if (post_signal_to_self(p, signal, m.code, m.w0, m.w1, m.w2)) exit_process(p, signal);
    return;
  }
  // One that ends the process ends the caller too: exit_group's path.
  if (delivery_of(t, signal) == Delivery::Ends) exit_process(p, signal);
  post_thread_signal(t, signal, m.code, m.w0, m.w1, m.w2);
}

// A signal to the caller's own process: the thread that takes it, or the shared set.
void signal_own_process(Process& p, uint32_t signal, const Sent& m) {
  Process* t = signal_thread(p.group(), signal);
  if (t != nullptr)
    signal_own_thread(p, *t, signal, m);
  else
    post_shared_signal(p.group(), signal, m.code, m.w0, m.w1, m.w2);
}

Process* thread_named(uint32_t tgid, uint32_t tid);

// kill's targets: one process, a group, or every process but init and the caller.
// Each signalled one (the caller last: it may end); ESRCH when there is none.
uint32_t signal_targets(Process& p, int32_t pid, uint32_t signal, const Sent& m) {
  if (pid == kIntMin) return error(abi::kESRCH);
  // One process, most often the caller itself: found by its pid, not by a pass over every
  // slot (that pass was about 372 of a signal to self's instructions; issue 18 item 11).
  // Any thread's id names its process, as in Linux's kill_pid_info (it finds the task
  // by the id and signals its thread group); a thread that ended is not there.
  if (pid > 0) {
    Process* q = static_cast<uint32_t>(pid) == p.tgid() ? &p.group() : thread_named(0, static_cast<uint32_t>(pid));
    if (q == nullptr) return error(abi::kESRCH);
    if (signal == 0) return 0;
    if (&q->group() == &p.group())
      signal_own_process(p, signal, m);
    else
      post_signal(q->group(), signal, m.code, m.w0, m.w1, m.w2);
    return 0;
  }
  const uint32_t group = pid == 0 ? p.group().pgid : static_cast<uint32_t>(-pid);
  bool found = false, self = false;
  processes().for_each_used([&](Process& q) {
    if (!q.is_leader()) return;
    const bool chosen = pid == -1 ? q.pid != kInitPid && &q != &p.group() : q.pgid == group;
    if (!chosen) return;
    found = true;
    if (&q == &p.group()) {
      self = true;
      return;
    }
    if (signal != 0) post_signal(q, signal, m.code, m.w0, m.w1, m.w2);
  });
  if (!found) return error(abi::kESRCH);
  if (self && signal != 0) signal_own_process(p, signal, m);
  return 0;
}

uint32_t sys_kill(Process& p, const SyscallArgs& a) {
  if (a[1] > abi::kSignals) return error(abi::kEINVAL);
  return signal_targets(p, static_cast<int32_t>(a[0]), a[1], Sent{.code = abi::kSI_USER, .w0 = p.tgid()});
}
// A signal to one thread (tkill, tgkill; `tgid` 0: any process). A thread that ended is
// not there (ESRCH); a process that ended still is until it is reaped (signal ignored).
Process* thread_named(uint32_t tgid, uint32_t tid) {
  Process* t = processes().by_tid(tid);
  if (t == nullptr || (t->state == ProcessState::Zombie && !t->is_leader())) return nullptr;
  if (tgid != 0 && t->tgid() != tgid) return nullptr;
  return t;
}
void signal_one_thread(Process& p, Process& t, uint32_t signal, const Sent& m) {
  if (&t.group() == &p.group())
    signal_own_thread(p, t, signal, m);
  else
    post_thread_signal(t, signal, m.code, m.w0, m.w1, m.w2);
}
uint32_t signal_thread_id(Process& p, uint32_t tgid, uint32_t tid, uint32_t signal) {
  Process* t = thread_named(tgid, tid);
  if (t == nullptr) return error(abi::kESRCH);
  if (signal != 0) signal_one_thread(p, *t, signal, Sent{.code = abi::kSI_TKILL, .w0 = p.tgid()});
  return 0;
}

uint32_t sys_tkill(Process& p, const SyscallArgs& a) {
  if (static_cast<int32_t>(a[0]) <= 0 || a[1] > abi::kSignals) return error(abi::kEINVAL);
  return signal_thread_id(p, 0, a[0], a[1]);
}
uint32_t sys_tgkill(Process& p, const SyscallArgs& a) {
  if (static_cast<int32_t>(a[0]) <= 0 || static_cast<int32_t>(a[1]) <= 0 || a[2] > abi::kSignals)
    return error(abi::kEINVAL);
  return signal_thread_id(p, a[0], a[1], a[2]);
}

// The siginfo sigqueue passes (rt_sigqueueinfo, rt_tgsigqueueinfo): its code and union
// words as the caller wrote them (Linux keeps its si_pid and si_uid; si_signo becomes
// the call's signal). 0 or -EFAULT.
int32_t queued_info_in(Process& p, uint32_t va, Sent* m) {
  uint8_t raw[signal_frame::kSigInfoBytes];
  if (const int32_t s = copy_in(p, va, raw, sizeof raw); s != 0) return s;
  *m = Sent{.code = static_cast<int32_t>(ck::load_be32(raw + 8)),
            .w0 = ck::load_be32(raw + 12),
            .w1 = ck::load_be32(raw + 16),
            .w2 = ck::load_be32(raw + 20)};
  return 0;
}
// Linux's do_rt_sigqueueinfo: a code a kernel or kill would set (>= 0, or SI_TKILL) only
// to the caller itself (`self`: the id named is the calling thread's).
bool code_allowed(const Sent& m, bool self) { return self || (m.code < 0 && m.code != abi::kSI_TKILL); }
// A real-time instance that finds the queue full fails (Linux: EAGAIN past RLIMIT_SIGPENDING).
bool queue_refuses(uint32_t signal) { return SignalQueue::queued(signal) && signal_queue().full(); }

// rt_sigqueueinfo(tgid, signal, info): sigqueue's call, to one process.
uint32_t sys_rt_sigqueueinfo(Process& p, const SyscallArgs& a) {
  Sent m{};
  if (const int32_t s = queued_info_in(p, a[2], &m); s != 0) return error(-s);
  const int32_t pid = static_cast<int32_t>(a[0]);
  if (!code_allowed(m, static_cast<uint32_t>(pid) == p.pid)) return error(abi::kEPERM);
  Process* target = pid > 0 ? processes().by_pid(static_cast<uint32_t>(pid)) : nullptr;
  if (target == nullptr || !target->is_leader()) return error(abi::kESRCH);
  if (a[1] > abi::kSignals) return error(abi::kEINVAL);
  if (a[1] == 0) return 0;
  if (queue_refuses(a[1])) return error(abi::kEAGAIN);
  return signal_targets(p, pid, a[1], m);
}

// rt_tgsigqueueinfo(tgid, tid, signal, info): the same, to one thread.
uint32_t sys_rt_tgsigqueueinfo(Process& p, const SyscallArgs& a) {
  Sent m{};
  if (const int32_t s = queued_info_in(p, a[3], &m); s != 0) return error(-s);
  if (static_cast<int32_t>(a[0]) <= 0 || static_cast<int32_t>(a[1]) <= 0) return error(abi::kEINVAL);
  if (!code_allowed(m, a[1] == p.pid)) return error(abi::kEPERM);
  Process* t = thread_named(a[0], a[1]);
  if (t == nullptr) return error(abi::kESRCH);
  if (a[2] > abi::kSignals) return error(abi::kEINVAL);
  if (a[2] == 0) return 0;
  if (queue_refuses(a[2])) return error(abi::kEAGAIN);
  signal_one_thread(p, *t, a[2], m);
  return 0;
}

uint32_t sys_getppid(Process& p, const SyscallArgs&) { return p.group().ppid; }
uint32_t sys_getpgrp(Process& p, const SyscallArgs&) { return p.group().pgid; }

// The process `pid` names for getpgid/getsid (0: the caller), zombies included.
Process* named(Process& p, uint32_t pid) {
  if (pid == 0) return &p.group();
  if (static_cast<int32_t>(pid) < 0) return nullptr;
  return processes().by_pid(pid);
}
uint32_t sys_getpgid(Process& p, const SyscallArgs& a) {
  const Process* q = named(p, a[0]);
  return q != nullptr ? q->pgid : error(abi::kESRCH);
}
uint32_t sys_getsid(Process& p, const SyscallArgs& a) {
  const Process* q = named(p, a[0]);
  return q != nullptr ? q->sid : error(abi::kESRCH);
}

// setpgid(pid, pgid) with Linux's rules: the caller or a child of it (ESRCH), a child
// that has not exec'd (EACCES) in the caller's session (EPERM), no session leader
// (EPERM), into a group of the caller's session (EPERM).
uint32_t sys_setpgid(Process& caller, const SyscallArgs& a) {
  Process& p = caller.group();
  if (static_cast<int32_t>(a[1]) < 0) return error(abi::kEINVAL);
  const uint32_t pid = a[0] == 0 ? p.pid : a[0];
  const uint32_t pgid = a[1] == 0 ? pid : a[1];
  Process* target = static_cast<int32_t>(pid) < 0 ? nullptr : processes().by_pid(pid);
  if (target == nullptr || (target != &p && target->ppid != p.pid)) return error(abi::kESRCH);
  if (target != &p) {
    if (target->sid != p.sid) return error(abi::kEPERM);
    if (target->execed) return error(abi::kEACCES);
  }
  if (target->sid == target->pid) return error(abi::kEPERM);
  if (pgid != target->pid) {
    bool exists = false;
    for (uint32_t i = 0; i < ProcessTable::kMax && !exists; ++i) {
      const Process& q = processes().slot(i);
      exists = q.state != ProcessState::Free && q.is_leader() && q.pgid == pgid && q.sid == p.sid;
    }
    if (!exists) return error(abi::kEPERM);
  }
  target->pgid = pgid;
  return 0;
}

// setsid: EPERM for a process group leader (or when its pid names a group still).
uint32_t sys_setsid(Process& caller, const SyscallArgs&) {
  Process& p = caller.group();
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& q = processes().slot(i);
    if (q.state != ProcessState::Free && q.is_leader() && q.pgid == p.pid) return error(abi::kEPERM);
  }
  p.sid = p.pgid = p.pid;
  return p.sid;
}

constexpr SyscallEntry kEntries[] = {
    {abi::kExit, sys_exit},
    {abi::kExitGroup, sys_exit_group},
    {abi::kFork, sys_fork},
    {abi::kVfork, sys_vfork},
    {abi::kClone, sys_clone},
    {abi::kWait4, sys_wait4},
    {abi::kWaitpid, sys_waitpid},
    {abi::kWaitid, sys_waitid},
    {abi::kKill, sys_kill},
    {abi::kTkill, sys_tkill},
    {abi::kTgkill, sys_tgkill},
    {abi::kGetppid, sys_getppid},
    {abi::kGetpgrp, sys_getpgrp},
    {abi::kGetpgid, sys_getpgid},
    {abi::kGetsid, sys_getsid},
    {abi::kSetpgid, sys_setpgid},
    {abi::kSetsid, sys_setsid},
    {abi::kRtSigqueueinfo, sys_rt_sigqueueinfo},
    {abi::kRtTgsigqueueinfo, sys_rt_tgsigqueueinfo},
};

}  // namespace

SyscallGroup lifecycle_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
