// The UNIX emulator's own state and the work its first thread does (paper §2, §2.3, §3):
// the root file system, the writeback it receives for its processes' spaces, threads and
// mappings (it reloads what the Cache Kernel displaced), and starting, waiting for and
// cleaning up after processes.
#pragma once

#include <stdint.h>

#include "file_tree.h"
#include "libak.h"
#include "process.h"

namespace unixemu {

FileTree& file_tree();

// The emulator's first thread: process exits and writeback wake it.
ck_id main_thread();
void set_main_thread(ck_id thread);
ck_id home_space();
void set_home_space(ck_id space);

// A system call's exception frame, once the call is done and its registers in the frame
// are the ones to resume with (a trap's frame has no fault address otherwise).
inline constexpr uint32_t kSystemCallDone = 0x444f4e45;  // 'DONE'

// What the Cache Kernel displaced of the emulator's processes, and what came back (shown
// at the end: the small-caches test checks displacement happened).
struct Displacements {
  uint32_t spaces = 0, threads = 0;  // written back (then loaded again)
  uint32_t mappings = 0;             // reclaimed (loaded again on the next fault)
};
Displacements& displacements();

// Reads the emulator's writeback ring: processes whose thread or space the Cache Kernel
// displaced are marked to be reloaded (reload_displaced does it).
void drain_ring();
// Loads again the spaces and threads of running processes that were written back.
void reload_displaced();

// What a started process's fds 0, 1 and 2 are: the console (a terminal), or /dev/null
// and the console as a plain stream (the test runner's, as the oracle runs programs:
// standard input /dev/null, output to a file).
enum class Stdio : uint8_t { Console, Stream };

// Starts `path` as a new process with those arguments and environment: its pid, or
// -errno (ENOENT, EACCES, ENOEXEC, E2BIG, ENOMEM, ENFILE, EAGAIN when the table is full).
int32_t start_process(const char* path, const char* const* argv, uint32_t argc, const char* const* envp, uint32_t envc,
                      uint32_t ppid, Stdio stdio = Stdio::Console);
// Loads `p`'s space (if it has none) and a thread in `state` (a new process's): CK_OK or
// the Cache Kernel's status.
int32_t load_process(Process& p, const ck_thread_state& state);
// The same, for a process forked by one in its handler: a cache with no descriptor to
// give now (CK_E_NO_DESCRIPTOR: all are locked or busy, the parent's space among them)
// is not waited on; the process is marked written back with `state`, and the first
// thread's reload_displaced() loads it once it can (when the parent blocks, say). A
// small space cache then still forks (4 descriptors: three kernels' locked homes and the
// parent's). CK_OK (loaded or deferred) or the Cache Kernel's refusal.
int32_t load_or_defer(Process& p, const ck_thread_state& state);
// How a process a signal ended died (reason nullptr: it exited).
struct Death {
  uint32_t pid = 0, signal = 0, pc = 0, address = 0;
  const char* reason = nullptr;
};
// Waits until process `pid` has ended and frees what it held; its wait status.
uint32_t wait_process(uint32_t pid, Death* death = nullptr);

// The first thread's work (holding the emulator's lock): writeback, expired waits, console
// input, zombies' memory freed, console output. Then it idles (the lock let go) until
// woken or `timeout_ns` passes.
void first_thread_pass();
void first_thread_idle(uint32_t timeout_ns);
// After the test runner's program ended: waits up to `patience_ns` for the processes it
// left (orphans now) to end, then kills the rest with SIGKILL: how many it killed.
uint32_t end_leftovers(uint32_t patience_ns);
// A zombie's memory, descriptors and Cache Kernel objects are freed (once).
void finish_process(Process& p);
// Process `z` became a zombie. The first thread is woken only when it must act at once:
// for a zombie nobody reaps (it releases the slot) or the process wait_process waits for.
// Else a parent's wait4 reaps it, or the first thread's next pass (every 10 ms) frees
// what it held: a pass at every exit (each process's processor time sampled, the timers,
// the console) was about 700 instructions of a fork + exit + wait, and the switches to
// the first thread and back more (issue 18 item 11).
void zombie_made(const Process& z);

// Nanoseconds since boot: the Cache Kernel's 32-bit clock, its wraps counted (the first
// thread looks at it every 10 ms while processes run).
uint64_t uptime_ns();
// The calendar when that clock started (seconds since 1970; CK_QUERY_BOOT_SECONDS).
uint32_t boot_seconds();

// Random bytes (AT_RANDOM, getrandom): libak's generator (libak/random.h), seeded by the
// SRM from the machine's entropy (QEMU's boot seed and virtio-rng).
void random_bytes(void* out, uint32_t bytes);

// The caller's thread (in its handler) leaves the Cache Kernel until the emulator loads it
// again with its state as written back (a read of the console waits so). Does not return.
[[noreturn]] void block_thread(Process& p);

// The caller's thread (in its handler, the emulator's lock released, its slot's fate
// settled) unloads itself for good: a full ring (CK_E_RETRY) waits a tick for the first
// thread to read it. Does not return.
[[noreturn]] void unload_self_for_good(ck_id self);
// Finishes the console reads that waited, now that lines were typed: their threads are
// loaded again (the first thread's loop).
void console_reads();

// The Cache Kernel's page tables charged to the emulator ran out (CK_E_NO_TABLES): the
// space of another process (one waiting, if any) is unloaded to free its tables; it is
// loaded again like any displaced one. False when there is none to unload.
bool evict_space(const Process* keep);

// Unloads mapping `va` of `space`, draining the ring while it is full.
void unload_mapping_surely(ck_id space, uint32_t va);
// Unloads thread `thread` (another than the caller; 0: none), draining the ring while it
// is full (up to 1,000 tries).
void unload_thread_surely(ck_id thread);
// Loads mapping `va` -> `pa` of `space` locked (with `flags` besides): CK_OK or the
// refusal. A load may displace others' mappings into a full writeback ring: waited on
// (ak::load_mapping_draining, with drain_ring).
inline int32_t load_locked_mapping(ck_id space, uint32_t va, uint32_t pa, uint32_t flags) {
  return ak::load_mapping_draining(space, va, pa, flags | CK_MAP_LOCK, drain_ring);
}

}  // namespace unixemu
