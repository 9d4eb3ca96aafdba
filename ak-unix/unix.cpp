// The UNIX emulator (paper §2, §2.3, §3; issue 17): an application kernel that runs
// unmodified static Linux/m68k programs as processes. The SRM starts it from the PROM
// table (`start unix [init=PATH] [test=all|DIR|PROGRAM] [verbose] [ARG...]`); it reads
// its root file system from the PROM table's "rootfs" entry (a cpio archive), runs
// /sbin/init (or the test programs, one after the other, for the test harness) and ends
// when they have ended.
//
// Arguments: init=PATH (default /sbin/init); test=all, test=DIR or test=PROGRAM (run every
// program in /tests, or in DIR, in name order, or PROGRAM alone, each between
// "unix.test: begin PATH" and "unix.test: end PATH exit N" or "... signal N" lines; the
// benchmarks are /bench's); stdio=stream (the tests' standard input is /dev/null and
// their output the console as a plain stream, not a terminal, as the oracle runs them)
// or stdio=terminal (the console with what is typed on it; otherwise a test's reads of
// the console find the end of file);
// window=N (unix_window only: how many pages of its memory the emulator keeps mapped
// between system calls, at least 32, default all it uses: physical_memory.h); verbose (log unknown system calls);
// crash=N (a bug on purpose: the emulator's handler writes through a null pointer at the Nth system call, for the SRM's
// containment test); the bare words ARG... are the arguments of init, or of a test=PROGRAM.
#include <string.h>

#include "console.h"
#include "emulator.h"
#include "emulator_lock.h"
#include "file_system.h"
#include "handler.h"
#include "image_pages.h"
#include "lib/cmdline.h"
#include "libak.h"
#include "physical_memory.h"
#include "prom_table.h"
#include "prom_window.h"
#include "random.h"
#include "scheduling_thread.h"

namespace unixemu {
namespace {

const char* const kEnvironment[] = {"PATH=/bin:/sbin", "HOME=/", "TERM=linux"};
constexpr uint32_t kEnvironmentCount = sizeof kEnvironment / sizeof kEnvironment[0];
constexpr uint32_t kSignalMask = 0x7f;

// "exit N" or "signal N", as the test harness reads them.
void describe_status(uint32_t status, char* out, uint32_t capacity) {
  ck::BufferSink text(out, capacity);
  if ((status & kSignalMask) != 0)
    ck::format(text, "signal {}", status & kSignalMask);
  else
    ck::format(text, "exit {}", (status >> 8) & 0xff);
}

// The bare words of the command line (not `verbose`): init's or a test program's
// arguments after its name, NUL-terminated copies in `storage`.
constexpr uint32_t kMaxArguments = 32;
struct Arguments {
  const char* argv[kMaxArguments + 1];
  uint32_t argc = 0;
  char storage[512];
};

void collect_arguments(const ck::CommandLine& line, Arguments* out) {
  uint32_t used = 0;
  line.for_each([&](ck::StrView key, ck::StrView value) {
    if (!value.empty() || key.empty() || key == "verbose" || key.find('=') < key.size()) return;
    if (out->argc == kMaxArguments || used + key.size() + 1 > sizeof out->storage) {
      ak::print("unix: too many arguments; {} and those after it are left out\n", key);
      out->argc = kMaxArguments;
      return;
    }
    ck::copy_terminated(key, out->storage + used, sizeof out->storage - used);
    out->argv[1 + out->argc++] = out->storage + used;
    used += static_cast<uint32_t>(key.size()) + 1;
  });
}

// Runs `path` with arguments `args` (argv[0] becomes `path`) and waits for it: its wait
// status, or -errno when it could not start.
int32_t run(const char* path, Arguments& args, uint32_t ppid, Death* death, Stdio stdio = Stdio::Console) {
  args.argv[0] = path;
  const int32_t pid = start_process(path, args.argv, args.argc + 1, kEnvironment, kEnvironmentCount, ppid, stdio);
  if (pid < 0) return pid;
  return static_cast<int32_t>(wait_process(static_cast<uint32_t>(pid), death));
}

// The emulator's line about a process a signal ended (nothing for one that exited).
void report_death(const char* path, const Death& d) {
  if (d.reason == nullptr) return;
  ak::print("unix: pid {} ({}) killed by signal {}: {} (pc {:#010x}, address {:#010x})\n", d.pid, ck::StrView(path),
            d.signal, ck::StrView(d.reason), d.pc, d.address);
}

void report_displacements() {
  const Displacements& d = displacements();
  ak::print("unix: the Cache Kernel displaced {} process space(s), {} thread(s) and {} mapping(s); all reloaded\n",
            d.spaces, d.threads, d.mappings);
  if (kWindowBuild)
    ak::print("unix: memory window: {} page(s) mapped of {} (budget {}), {} unloaded for others\n", memory().mapped(),
              memory().total(), memory().budget(), memory().evictions());
}

constexpr uint32_t kConsoleHandOverNs = 200u * 1000 * 1000;  // four of the SRM's passes

// The test runner stands as pid 1, the parent of every program it runs (Linux's
// programs always have a parent).
constexpr uint32_t kRunnerPid = 1;
// How long a test's orphans may go on after it ended (of the virtual clock).
constexpr uint32_t kLeftoverPatienceNs = 4000u * 1000 * 1000;

// Runs test program `path` between marker lines.
void run_test(const char* path, Arguments& args, Stdio stdio) {
  ak::print("unix.test: begin {}\n", ck::StrView(path));
  Death death;
  const int32_t status = run(path, args, kRunnerPid, &death, stdio);
  // What it left running (orphans, whose output belongs to this test) ends first.
  if (const uint32_t killed = end_leftovers(kLeftoverPatienceNs); killed != 0)
    ak::print("unix: {} process(es) {} left were killed after {} s\n", killed, ck::StrView(path),
              kLeftoverPatienceNs / 1000000000u);
  if (console_last_byte() != '\n') console_write("\n", 1);
  if (status < 0) {
    ak::print("unix.test: end {} error {}\n", ck::StrView(path), -status);
    return;
  }
  char what[24];
  describe_status(static_cast<uint32_t>(status), what, sizeof what);
  ak::print("unix.test: end {} {}\n", ck::StrView(path), ck::StrView(what));
  report_death(path, death);
}

// The programs in directory `where`, in name order, or the program `where` alone.
void run_tests(ck::StrView where, Arguments& args, Stdio stdio) {
  processes().set_next_pid(kRunnerPid + 1);
  uint32_t found;
  char path[160];
  if (where.size() >= sizeof path ||
      file_tree().resolve(FileTree::kRoot, where.data(), static_cast<uint32_t>(where.size()), true, &found) != 0) {
    ak::print("unix: there is no {} in the root file system\n", where);
    return;
  }
  if (file_tree().node(found).type != NodeType::Directory) {
    ck::copy_terminated(where, path, sizeof path);
    run_test(path, args, stdio);
    return;
  }
  for (uint32_t c = file_tree().node(found).first_child; c != FileTree::kNoNode; c = file_tree().node(c).next_sibling) {
    const Node& n = file_tree().node(c);
    if (n.type != NodeType::File) continue;
    ck::BufferSink text(path, sizeof path);
    ck::format(text, "{}/{}", where, ck::StrView(n.name, n.name_bytes));
    run_test(path, args, stdio);
  }
}

// Asks the SRM for the console's input. The SRM hands it over at its next pass (every
// 50 ms) and says so on the console; waiting for that keeps its line out of the
// programs' output and makes sure what is typed at their first prompt comes here.
void attach_console(const ck_boot_info& info) {
  if (!console_attach(info)) {
    ak::print("unix: no memory for the console's input ring; reads see end of file\n");
    return;
  }
  ak::block_self(kConsoleHandOverNs);
}

// Where the root file system's archive is in the PROM table: the table's head (its
// header and entries) is copied out of the windows and parsed as the whole table would
// be (PromTable reads only the head).
bool find_rootfs(uint32_t* at, uint32_t* bytes) {
  alignas(4) static uint8_t head[ck::PromTable::head_bytes(ck::PromTable::kMaxImages)];
  ck_prom_table header;
  if (!prom_window().copy(0, &header, sizeof header) || header.count > ck::PromTable::kMaxImages) return false;
  if (!prom_window().copy(0, head, ck::PromTable::head_bytes(header.count))) return false;
  ck::PromTable prom;
  ck::PromImage rootfs;
  if (!prom.parse(head, prom_window().bytes()) || !prom.find("rootfs", &rootfs)) return false;
  *at = static_cast<uint32_t>(rootfs.elf - head);
  *bytes = rootfs.bytes;
  return true;
}

}  // namespace
}  // namespace unixemu

int ak_main(const ck_boot_info& info) {
  using namespace unixemu;
  const ck::CommandLine args(reinterpret_cast<const char*>(info.arguments));
  ck::StrView value;
  set_verbose(args.lookup("verbose", &value));
  if (args.lookup("crash", &value)) {
    uint32_t call = 0;
    ck::parse_u32(value, &call);
    set_crash_at(call);
  }
  set_main_thread(info.thread);
  // The first thread holds the emulator's lock except while it idles (emulator_lock.h).
  emulator_lock().acquire(info.thread, kFirstThreadPlace);
  set_home_space(info.space);
  if (!memory().init(info)) return 1;
  if (args.lookup("window", &value)) {
    uint32_t pages = 0;
    if (!kWindowBuild)
      ak::print(
          "unix: window={} ignored: this emulator maps all its memory at start (unix_window, in images "
          "for small caches, keeps a window)\n",
          value);
    else if (ck::parse_u32(value, &pages) && pages >= Memory::kMinBudget)
      memory().set_budget(pages);
    else
      ak::print("unix: window={} is not a number of at least {} pages; the window has no limit\n", value,
                Memory::kMinBudget);
  }
  // Started paged (the SRM's `paged`, ck_boot_info::paged_memory): the SRM maps the
  // memory and the PROM table where the emulator reaches them as it touches them, so
  // nothing is mapped (or locked) here. The window build keeps its own window.
  const bool paged = info.paged_memory == Memory::kWindow && info.paged_prom == PromWindow::kBase;
  if (info.paged_memory != 0 && !paged) {
    ak::print(
        "unix: started paged with its memory at {:#010x} and the PROM table at {:#010x}; it expects {:#010x} "
        "and {:#010x}\n",
        info.paged_memory, info.paged_prom, Memory::kWindow, PromWindow::kBase);
    return 1;
  }
  if (!kWindowBuild && !paged && !memory().map_all()) return 1;
  memory().set_reclaim(release_image_pages);  // its frames are a cache
  prom_window().init(info.space, info.prom_physical, info.prom_bytes, paged && !kWindowBuild);
  uint32_t rootfs_at = 0, rootfs_bytes = 0;
  if (!find_rootfs(&rootfs_at, &rootfs_bytes)) {
    ak::print("unix: the PROM table has no root file system (rootfs)\n");
    return 1;
  }
  static ImageSlice rootfs(prom_window(), rootfs_at, rootfs_bytes);
  if (!file_tree().load(rootfs)) {
    ak::print("unix: the root file system is not a well-formed cpio archive\n");
    return 1;
  }
  if (!file_tree().add_devices())
    ak::print("unix: no room for /dev's devices in the file tree (or /dev is no directory)\n");
  if (!init_file_system()) ak::print("unix: no room for /proc in the file tree (or /proc is not an empty directory)\n");
  // The emulator's threads above its processes', and the scheduling thread (§2.3).
  start_scheduling(info.thread, info.space);
  ak::print("unix: the UNIX emulator; {} files in its root file system, {} KiB of memory for processes\n",
            file_tree().count(), memory().available() * 4);
  if (ak::entropy_sources() == 0)
    ak::print(
        "unix: the machine gave no entropy (no boot seed, no virtio-rng): getrandom and AT_RANDOM follow "
        "the clock\n");

  static Arguments arguments;
  collect_arguments(args, &arguments);
  if (args.lookup("test", &value)) {
    ck::StrView stdio;
    args.lookup("stdio", &stdio);
    const bool stream = stdio == "stream";
    // stdio=terminal: the programs read what is typed on the console (a terminal test).
    if (stdio == "terminal") attach_console(info);
    run_tests(value == "all" ? ck::StrView("/tests") : value, arguments, stream ? Stdio::Stream : Stdio::Console);
    report_displacements();
    ak::print("unix: the tests have run; the emulator ends\n");
    return 0;
  }
  attach_console(info);
  char init[96] = "/sbin/init";
  if (args.lookup("init", &value)) ck::copy_terminated(value, init, sizeof init);
  Death death;
  const int32_t status = run(init, arguments, 0, &death);  // init: pid 1, no parent
  report_death(init, death);
  if (status < 0) {
    ak::print("unix: cannot start {}: error {}\n", ck::StrView(init), -status);
    return 1;
  }
  char what[24];
  describe_status(static_cast<uint32_t>(status), what, sizeof what);
  report_displacements();
  ak::print("unix: {} ended ({}); the emulator ends\n", ck::StrView(init), ck::StrView(what));
  return 0;
}
