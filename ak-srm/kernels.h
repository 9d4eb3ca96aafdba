// The application kernels the SRM runs (paper §3, §2.4): it starts them from the PROM
// table with a grant (page groups, CPU share and maximum priority, locked quotas), owns
// their kernel objects and handles their writeback. A kernel object the Cache Kernel
// displaces is reloaded when the kernel next runs, with its home space, the mappings the
// SRM made and its threads as they were written back; a kernel that faults with no
// handler is restarted or removed; a kernel can be swapped to disk and back (swap.cpp).
#pragma once

#include "devices.h"
#include "memory.h"
#include "memory_pool.h"
#include "prom_table.h"

namespace srm {

inline constexpr uint32_t kMaxKernels = 8;
inline constexpr uint32_t kMaxGrantGroups = 32;  // 16 MiB (the UNIX emulator's processes)
inline constexpr uint32_t kSwapAreaGroups = 4;   // each kernel slot's area of the disk: 2 MiB
inline constexpr uint32_t kMaxSavedThreads = 4;
inline constexpr uint32_t kMaxRestarts = 3;

enum class State : uint8_t {
  Free,        // no kernel in this slot
  Running,     // its kernel object is in the Cache Kernel
  Displaced,   // the Cache Kernel wrote it back; the SRM reloads it
  SwappedOut,  // its memory is on the disk
};

struct Grant {
  uint32_t groups = 0;    // page groups of 512 KiB (0: what the image asks for, else 1)
  uint32_t percent = 50;  // of the processor (CK_SET_CPU)
  uint32_t max_priority = 16;
  bool keep_on_fault = false;  // faults=keep: a fault no handler took is counted, not fatal
  // paged: its image is mapped as it touches it, unlocked (CK_KERNEL_HOME_PAGED), not all
  // locked at its start: its handler's working set need not stay in the mapping cache.
  bool paged = false;
};

// A home-space thread written back with its kernel, to load again with it.
struct SavedThread {
  ck_thread_state state;
  uint32_t cookie, priority;
  bool locked;
  ck_id old_id;
};

struct Kernel {
  State state = State::Free;
  uint32_t number = 0;  // 1.. as the console shows it
  ck::PromImage image;
  // "kernel=N " and the start command's arguments (a test's program and its case names),
  // copied after the boot info, before the mailboxes at kMailboxOffset.
  char arguments[256] = {};
  Grant grant;
  bool restart = false;  // on a fault with no handler: start again (else remove)
  uint32_t restarts = 0;
  uint32_t base = 0;  // physical base of its page groups
  ck_id kernel = 0, home = 0;
  uint32_t displacements = 0, reloads = 0, faults = 0;
  uint32_t home_faults = 0;  // paged: pages the SRM mapped on its faults
  // paged: its image's segments, as the SRM maps them on its home faults. Kept from its
  // start so that a home fault reads no PROM page (on a small mapping cache each would
  // displace another mapping, perhaps the one just made for the kernel).
  struct Segment {
    uint32_t va = 0, bytes = 0;
    bool writable = false;
  };
  static constexpr uint32_t kMaxSegments = 4;
  Segment segments[kMaxSegments];
  uint32_t segment_count = 0;
  uint32_t image_start = 0, image_end = 0;
  uint32_t overflowed = 0;  // its records that came to the SRM (CK_WB_OVERFLOW)
  uint64_t displaced_at = 0;
  SavedThread saved[kMaxSavedThreads];
  uint32_t saved_count = 0;
  uint32_t swap_checksum = 0;
  uint32_t bytes() const { return grant.groups * kGroupBytes; }
};

// Set up once: the PROM table, the pool of page groups, the window on them.
void init_kernels(const ck::PromTable& prom, const MemoryPool& pool, const ak::PhysicalWindow& window);
MemoryPool& pool();
const ck::PromTable& prom();
const ak::PhysicalWindow& window();

Kernel* kernel_numbered(uint32_t number);
const char* state_text(State s);
Kernel& kernel_slot(uint32_t i);  // 0 .. kMaxKernels-1

// Starts `name` from the PROM table with `grant`; `arguments` go to the kernel. Reports
// on the console; nullptr when it could not.
Kernel* start_kernel(StrView name, const Grant& grant, bool restart, StrView arguments);
// Unloads it (if loaded) and gives its memory back; `why` is reported.
void end_kernel(Kernel& k, StrView why);
// Takes the kernel out of the Cache Kernel whole: a big kernel leaves over several calls
// (CK_E_PARTIAL, at most 4 objects each); between them its ring is emptied (Discard:
// it is ending), or what the SRM made is taken out of it (Absorb), its home threads
// kept to reload (Save); and the SRM's own ring is read (records overflow there while
// the kernel's ring is full, and a CK_E_RETRY may wait for it). The last status.
enum class RingAfterUnload { Discard, Absorb, Save };
int32_t unload_whole(Kernel& k, RingAfterUnload ring);
// Reads the SRM's own writeback ring (srm.cpp).
void drain_own_ring();

// Over `bytes` of memory a chunk at a time (visit(offset, bytes)), the SRM's ring drained
// after each. On a small mapping cache every page the SRM touches through its window (or
// of the PROM table) displaces one of its own, and the records of those fill its ring,
// which its exception handler cannot drain (the Cache Kernel then refuses the handler's
// load, CK_E_RETRY): so nothing walks more than a chunk of pages between drains. Issue
// 17's smallest caches (64 mappings) leave the window about 30 pages.
inline constexpr uint32_t kChunkBytes = 16 * 4096;
template <typename Visit>
void by_chunks(uint32_t bytes, Visit&& visit) {
  for (uint32_t offset = 0; offset < bytes; offset += kChunkBytes) {
    visit(offset, bytes - offset < kChunkBytes ? bytes - offset : kChunkBytes);
    drain_own_ring();
  }
}
// CK_SYNC_CODE over [pa, pa + bytes) of the window, by chunks: instruction fetches from
// that memory see what the SRM wrote there. The first failing status.
int32_t sync_code(uint32_t pa, uint32_t bytes);

// Its boot-info page, through the SRM's window.
ck_boot_info& boot_info_of(const Kernel& k);

// Loads the kernel object, grants, home space, the SRM's mappings and its threads: the
// first thread at the image's entry (`fresh`), or those written back with it.
int32_t load_kernel_objects(Kernel& k, bool fresh);
// After the kernel object left the Cache Kernel: takes the records of its home space's
// threads, of the home space and of the mappings the SRM made out of its ring (they are
// reloaded with it), leaving the rest for the kernel to read.
// `save`: add the threads to those kept to reload (else the records are only taken
// away: those of a reload that failed half-way). A successful reload empties the list.
void absorb_ring(Kernel& k, bool save);
// FNV-1a over its memory.
uint32_t memory_checksum(const Kernel& k);
void zero_memory(const Kernel& k);

// From the SRM's writeback ring.
void kernel_written_back(const ck_writeback& record);
void kernel_faulted(const ck_writeback& record);
// A fault in the home space of a kernel started `paged` (CK_WB_HOME_FAULT): the page of
// its image mapped and the thread woken; outside its image, the kernel faulted.
void kernel_home_fault(const ck_writeback& record);
// A record for kernel `wrapper.id` that its own ring, full, could not take (CK_WB_OVERFLOW:
// it does not drain its ring). Counted; a home-space thread written back with the kernel
// object is kept to reload with it, as absorb_ring() does.
void kernel_overflowed(const ck_writeback& wrapper, const ck_writeback& record, const ck_thread_state& state);

// Periodic work: kernels that exited end; the longest-displaced kernel is reloaded.
void kernels_pass();
// Kernels running or waiting to run again.
uint32_t live_kernels();

}  // namespace srm
