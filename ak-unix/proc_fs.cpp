// The emulator's /proc (proc_fs.h). Formats as Linux 6.1's fs/proc: array.c (stat,
// status), meminfo.c, uptime.c.
#include "proc_fs.h"

#include "emulator.h"
#include "lib/format.h"
#include "lib/str.h"
#include "linux_abi.h"
#include "physical_memory.h"
#include "scheduler.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

ProcFs g_proc;

// Entries: the per-process ones with the pid, the top-level ones with pid 0, a thread's
// (/proc/PID/task/TID and its files) with the thread's id.
enum class Entry : uint32_t {
  PidDir = 0,
  Stat = 1,
  Status = 2,
  Exe = 3,
  TaskDir = 4,
  TidDir = 5,
  TidStat = 6,
  TidStatus = 7,
  Self = 8,
  Meminfo = 9,
  Uptime = 10
};

constexpr uint32_t make_id(uint32_t pid, Entry e) {
  return FileTree::kSyntheticBase | pid << 4 | static_cast<uint32_t>(e);
}
Entry entry_of(uint32_t id) { return static_cast<Entry>(id & 0xf); }
uint32_t pid_of(uint32_t id) { return (id & ~FileTree::kSyntheticBase) >> 4; }

struct Named {
  const char* name;
  Entry entry;
};
constexpr Named kTop[] = {{"meminfo", Entry::Meminfo}, {"self", Entry::Self}, {"uptime", Entry::Uptime}};
constexpr Named kPerProcess[] = {
    {"exe", Entry::Exe}, {"stat", Entry::Stat}, {"status", Entry::Status}, {"task", Entry::TaskDir}};
constexpr Named kPerThread[] = {{"stat", Entry::TidStat}, {"status", Entry::TidStatus}};
constexpr uint32_t kPerProcessCount = sizeof kPerProcess / sizeof kPerProcess[0];
constexpr uint32_t kPerThreadCount = sizeof kPerThread / sizeof kPerThread[0];

bool named(const char* name, uint32_t bytes, const char* want) { return ck::StrView(name, bytes) == want; }

// A decimal pid with no leading zero: the number, or 0.
uint32_t pid_named(const char* name, uint32_t bytes) {
  if (bytes == 0 || bytes > 9 || name[0] == '0') return 0;
  uint32_t v = 0;
  for (uint32_t i = 0; i < bytes; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    v = v * 10 + static_cast<uint32_t>(name[i] - '0');
  }
  return v;
}

Process* live(uint32_t pid) {
  Process* p = pid != 0 ? processes().by_pid(pid) : nullptr;
  return p != nullptr && p->state != ProcessState::Free ? p : nullptr;
}

bool is_thread_entry(Entry e) { return e == Entry::TidDir || e == Entry::TidStat || e == Entry::TidStatus; }

// A thread of a live process: one of its threads that has not ended (a zombie leader
// whose threads go on is listed too, as Linux lists it), by its id.
Process* live_thread(uint32_t tid) {
  Process* t = tid != 0 ? processes().by_tid(tid) : nullptr;
  if (t == nullptr || live(t->tgid()) == nullptr) return nullptr;
  return t->state == ProcessState::Running || t->is_leader() ? t : nullptr;
}

// The `index`th of process `leader`'s threads in the order of their ids (Linux's
// /proc/PID/task order), or nullptr past the last.
const Process* thread_at(const Process& leader, uint32_t index) {
  uint32_t after = 0;  // the id of the one before
  for (uint32_t n = 0; n <= index; ++n) {
    const Process* next = nullptr;
    for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
      const Process& t = processes().slot(i);
      if (t.state == ProcessState::Free || &t.group() != &leader || t.pid <= after) continue;
      if (t.state != ProcessState::Running && !t.is_leader()) continue;
      if (next == nullptr || t.pid < next->pid) next = &t;
    }
    if (next == nullptr) return nullptr;
    after = next->pid;
    if (n == index) return next;
  }
  return nullptr;
}

// The command name Linux keeps (comm, exec.h sets it).
ck::StrView comm_of(const Process& p) { return ck::StrView(p.group().comm); }

char state_of(const Process& p, const Process* caller) {
  if (p.state == ProcessState::Zombie) return 'Z';
  return caller != nullptr && &p == &caller->group() ? 'R' : 'S';
}

// Pages the process has resident (its RSS).
uint32_t resident_pages(const Process& p) {
  uint32_t n = 0;
  const_cast<Process&>(p).pages.for_each(0, 0xffffffffu, [&](uint32_t, uint32_t) { ++n; });
  return n;
}

// Its process's threads that have not ended (Linux's num_threads).
uint32_t threads_of(const Process& p) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& t = processes().slot(i);
    if (t.state != ProcessState::Free && &t.group() == &p.group() &&
        (t.state == ProcessState::Running || t.is_leader()))
      ++n;
  }
  return n;
}

uint32_t virtual_bytes(const Process& p) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < p.group().regions.count(); ++i)
    n += p.group().regions.at(i).end - p.group().regions.at(i).start;
  return n;
}

void stat_text(ck::BufferSink& out, const Process& p, const Process* caller) {
  const uint64_t ticks = uptime_ns() / (1000000000u / abi::kClockTicks);
  // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss
  // rsslim startcode endcode startstack kstkesp kstkeip signal blocked sigignore sigcatch
  // wchan nswap cnswap exit_signal processor rt_priority policy delayacct_blkio_ticks
  // guest_time cguest_time start_data end_data start_brk arg_start arg_end env_start
  // env_end exit_code
  ck::format(out, "{} ({}) {} {} {} {} 0 -1 4194304 0 0 0 0 ", p.pid, comm_of(p), state_of(p, caller), p.group().ppid,
             p.pid, p.pid);
  const uint64_t cpu_ticks = (p.cpu_before + p.cpu_seen) / (1000000000u / abi::kClockTicks);
  // priority and nice: Linux's 20 + nice, here one more for each level the scheduling
  // thread has degraded it (scheduler.h).
  const uint32_t slot = processes().index_of(p);
  ck::format(out, "{} 0 0 0 {} {} {} 0 {} {} {} 4294967295 ", cpu_ticks, scheduler().proc_priority(slot),
             scheduler().nice(slot), threads_of(p), ticks, virtual_bytes(p), resident_pages(p));
  ck::format(out, "0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 {} 0 0 0 0 0\n", p.group().brk_start);
}

void status_text(ck::BufferSink& out, const Process& p, const Process* caller) {
  const char state = state_of(p, caller);
  const char* state_name = state == 'R' ? "running" : state == 'Z' ? "zombie" : "sleeping";
  const char umask[] = {'0', static_cast<char>('0' + (p.group().umask >> 6 & 7)),
                        static_cast<char>('0' + (p.group().umask >> 3 & 7)),
                        static_cast<char>('0' + (p.group().umask & 7)), '\0'};
  ck::format(out, "Name:\t{}\nUmask:\t{}\nState:\t{} ({})\nTgid:\t{}\nNgid:\t0\nPid:\t{}\nPPid:\t{}\n", comm_of(p),
             ck::StrView(umask), state, ck::StrView(state_name), p.tgid(), p.pid, p.group().ppid);
  ck::format(out, "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t{}\nGroups:\t\n", p.group().fds.limit());
  ck::format(out, "VmSize:\t{:8} kB\nVmRSS:\t{:8} kB\nThreads:\t{}\n", virtual_bytes(p) / 1024, resident_pages(p) * 4,
             threads_of(p));
  ck::format(out, "SigBlk:\t{:016x}\n", p.signal_mask);
}

void meminfo_line(ck::BufferSink& out, const char* name, uint32_t kib) {
  // Linux: the name and colon padded to 16 columns, the number right-aligned in 8.
  ck::StrView n(name);
  out.write(n);
  out.put(':');
  for (ck::usize i = n.size() + 1; i < 16; ++i) out.put(' ');
  ck::format(out, "{:8} kB\n", kib);
}

void meminfo_text(ck::BufferSink& out) {
  const uint32_t total = memory().total() * 4, free = memory().available() * 4;
  const uint32_t cached = file_tree().pages_used() * 4;
  meminfo_line(out, "MemTotal", total);
  meminfo_line(out, "MemFree", free);
  meminfo_line(out, "MemAvailable", free);
  meminfo_line(out, "Buffers", 0);
  meminfo_line(out, "Cached", cached);
  meminfo_line(out, "SwapCached", 0);
  meminfo_line(out, "Shmem", cached);
  meminfo_line(out, "SwapTotal", 0);
  meminfo_line(out, "SwapFree", 0);
}

void uptime_text(ck::BufferSink& out) {
  const uint64_t centis = uptime_ns() / 10000000u;
  ck::format(out, "{}.{:02} 0.00\n", centis / 100, centis % 100);
}

}  // namespace

ProcFs& proc_fs() { return g_proc; }

uint32_t ProcFs::child(uint32_t dir, const char* name, uint32_t bytes) {
  if (!FileTree::synthetic(dir)) {  // the mount point
    for (const Named& n : kTop)
      if (named(name, bytes, n.name)) return make_id(0, n.entry);
    const uint32_t pid = pid_named(name, bytes);
    return live(pid) != nullptr ? make_id(pid, Entry::PidDir) : FileTree::kNoNode;
  }
  switch (entry_of(dir)) {
    case Entry::PidDir:
      if (live(pid_of(dir)) == nullptr) return FileTree::kNoNode;
      for (const Named& n : kPerProcess)
        if (named(name, bytes, n.name)) return make_id(pid_of(dir), n.entry);
      return FileTree::kNoNode;
    case Entry::TaskDir: {
      // /proc/PID/task/TID: a thread of that process.
      const Process* t = live_thread(pid_named(name, bytes));
      return t != nullptr && t->tgid() == pid_of(dir) ? make_id(t->pid, Entry::TidDir) : FileTree::kNoNode;
    }
    case Entry::TidDir:
      if (live_thread(pid_of(dir)) == nullptr) return FileTree::kNoNode;
      for (const Named& n : kPerThread)
        if (named(name, bytes, n.name)) return make_id(pid_of(dir), n.entry);
      return FileTree::kNoNode;
    default:
      return FileTree::kNoNode;
  }
}

NodeType ProcFs::type(uint32_t id) {
  switch (entry_of(id)) {
    case Entry::PidDir:
    case Entry::TaskDir:
    case Entry::TidDir:
      return NodeType::Directory;
    case Entry::Exe:
    case Entry::Self:
      return NodeType::Symlink;
    default:
      return NodeType::File;
  }
}

uint32_t ProcFs::parent(uint32_t id) {
  switch (entry_of(id)) {
    case Entry::TidDir: {
      const Process* t = live_thread(pid_of(id));
      return t != nullptr ? make_id(t->tgid(), Entry::TaskDir) : file_tree().synthetic_mount();
    }
    case Entry::TidStat:
    case Entry::TidStatus:
      return make_id(pid_of(id), Entry::TidDir);
    default:
      if (entry_of(id) == Entry::PidDir || pid_of(id) == 0) return file_tree().synthetic_mount();
      return make_id(pid_of(id), Entry::PidDir);
  }
}

uint32_t ProcFs::mode(uint32_t id) {
  switch (type(id)) {
    case NodeType::Directory:
      return abi::kS_IFDIR | 0555;
    case NodeType::Symlink:
      return abi::kS_IFLNK | 0777;
    default:
      return abi::kS_IFREG | 0444;
  }
}

bool ProcFs::target(uint32_t id, const char** text, uint32_t* bytes) {
  if (entry_of(id) == Entry::Self) {
    if (caller_ == nullptr) return false;
    ck::BufferSink out(link_, sizeof link_);
    ck::format(out, "{}", caller_->tgid());
    *text = link_;
    *bytes = static_cast<uint32_t>(out.view().size());
    return true;
  }
  const Process* p = process_of(id);
  if (p == nullptr || entry_of(id) != Entry::Exe) return false;
  *text = p->group().exe;
  *bytes = static_cast<uint32_t>(ck::StrView(p->group().exe).size());
  return true;
}

const Process* ProcFs::process_of(uint32_t id) const {
  return is_thread_entry(entry_of(id)) ? live_thread(pid_of(id)) : live(pid_of(id));
}

int32_t ProcFs::text(uint32_t id, char* buf, uint32_t capacity) const {
  ck::BufferSink out(buf, capacity);
  switch (entry_of(id)) {
    case Entry::Meminfo:
      meminfo_text(out);
      break;
    case Entry::Uptime:
      uptime_text(out);
      break;
    case Entry::Stat:
    case Entry::Status:
    case Entry::TidStat:
    case Entry::TidStatus: {
      // A thread's are its process's, with its own id (Linux's task files).
      const Process* p = process_of(id);
      if (p == nullptr) return -1;
      if (entry_of(id) == Entry::Stat || entry_of(id) == Entry::TidStat)
        stat_text(out, *p, caller_);
      else
        status_text(out, *p, caller_);
      break;
    }
    default:
      return -1;
  }
  return static_cast<int32_t>(out.view().size());
}

bool ProcFs::entry(uint32_t dir, uint32_t index, char* name, uint32_t capacity, uint32_t* id, NodeType* type) const {
  ck::BufferSink out(name, capacity);
  if (FileTree::synthetic(dir) && entry_of(dir) == Entry::TaskDir) {
    const Process* leader = live(pid_of(dir));
    const Process* t = leader != nullptr ? thread_at(*leader, index) : nullptr;
    if (t == nullptr) return false;
    ck::format(out, "{}", t->pid);
    *id = make_id(t->pid, Entry::TidDir);
  } else if (FileTree::synthetic(dir) && entry_of(dir) == Entry::TidDir) {
    if (index >= kPerThreadCount || live_thread(pid_of(dir)) == nullptr) return false;
    ck::format(out, "{}", ck::StrView(kPerThread[index].name));
    *id = make_id(pid_of(dir), kPerThread[index].entry);
  } else if (FileTree::synthetic(dir)) {
    if (index >= kPerProcessCount || live(pid_of(dir)) == nullptr) return false;
    ck::format(out, "{}", ck::StrView(kPerProcess[index].name));
    *id = make_id(pid_of(dir), kPerProcess[index].entry);
  } else if (index < sizeof kTop / sizeof kTop[0]) {
    ck::format(out, "{}", ck::StrView(kTop[index].name));
    *id = make_id(0, kTop[index].entry);
  } else {
    // Then the live processes in the table's order.
    uint32_t n = index - sizeof kTop / sizeof kTop[0];
    for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
      const Process& p = processes().slot(i);
      if (p.state == ProcessState::Free || !p.is_leader()) continue;  // processes, not threads
      if (n-- != 0) continue;
      ck::format(out, "{}", p.pid);
      *id = make_id(p.pid, Entry::PidDir);
      break;
    }
    if (n != 0xffffffffu) return false;
  }
  *type = g_proc.type(*id);
  return true;
}

}  // namespace unixemu
