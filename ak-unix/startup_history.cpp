// Start-up histories (startup_history.h).
#include "startup_history.h"

#include "emulator.h"
#include "libak.h"
#include "linux_abi.h"
#include "user_memory.h"

namespace unixemu {

namespace {

// A few programs' histories of each start, direct-mapped by file node; a program that
// takes another's slot starts afresh.
constexpr uint32_t kPrograms = 16;
// A history's pages, and the faults after an exec that are recorded (a program's later
// faults are its work, not its start).
constexpr uint32_t kPages = 64;
constexpr uint8_t kRecordedFaults = 96;

// A page as recorded: its address and how it was touched in the low bits.
constexpr uint32_t kWrite = 0x1, kExecute = 0x2, kHow = kWrite | kExecute;

struct History {
  uint32_t node = 0;  // 0: free
  uint32_t count = 0;
  uint32_t pages[kPages] = {};
  uint32_t seen[2] = {};  // a bit per page number modulo 64 that pages[] holds
};

History g_histories[2 * kPrograms];  // the execs', then the forks'

History& slot_of(uint32_t node, Start how) {
  return g_histories[node % kPrograms + (how == Start::Fork ? kPrograms : 0)];
}

}  // namespace

void start_history(Process& p, uint32_t node, Start how) {
  Process& leader = p.group();
  if (node == 0) return;  // a program not known by its file
  History& h = slot_of(node, how);
  if (h.node != node) h = History{.node = node};
  leader.history = static_cast<uint8_t>(&h - g_histories + 1);
  leader.history_faults = 0;
}

void note_fault(Process& p, uint32_t va, bool write, bool execute) {
  Process& leader = p.group();
  if (leader.history == 0) return;
  if (++leader.history_faults >= kRecordedFaults) {
    leader.history = 0;
    return;
  }
  History& h = g_histories[leader.history - 1];
  const uint32_t page = page_down(va);
  // Searched only when a page with the same low page-number bits is there (a fork's
  // child's many first writes to pages of their own did not each pay a search).
  const uint32_t hint = (page >> 12) % 64;
  if ((h.seen[hint / 32] & 1u << (hint % 32)) != 0) {
    for (uint32_t i = 0; i < h.count; ++i) {
      if ((h.pages[i] & ~kHow) != page) continue;
      h.pages[i] |= (write ? kWrite : 0) | (execute ? kExecute : 0);
      return;
    }
  }
  h.seen[hint / 32] |= 1u << (hint % 32);
  if (h.count < kPages) h.pages[h.count++] = page | (write ? kWrite : 0) | (execute ? kExecute : 0);
}

void preload_history(Process& p) {
  Process& leader = p.group();
  if (leader.history == 0 || leader.space == 0) return;
  const History& h = g_histories[leader.history - 1];
  for (uint32_t i = 0; i < h.count; ++i) {
    const uint32_t page = h.pages[i] & ~kHow;
    // Already there (the entry's page, the stack's: preload_image's).
    if (leader.pages.loaded(page) != 0) continue;
    const Touch touch = (h.pages[i] & kExecute) != 0 ? Touch::Execute
                        : (h.pages[i] & kWrite) != 0 ? Touch::Write
                                                     : Touch::Read;
    uint32_t frame;
    bool sigbus = false;
    const Region* r = nullptr;
    // Not there this time (another layout, a smaller file): no page; no memory: done.
    const int32_t s = resident_frame(p, page, touch, &frame, &sigbus, &r);
    if (s != 0) {
      if (s == -linux_abi::kENOMEM) return;
      continue;
    }
    const bool writable = writable_now(*r, frame);
    leader.pages.mark_loaded(page, writable);  // first, as a fault's load
    const uint32_t flags = writable ? CK_MAP_WRITE | ((h.pages[i] & kWrite) != 0 ? CK_MAP_MODIFIED : 0) : 0;
    if (ak::load_mapping(leader.space, page, frame, flags) != CK_OK) return;
  }
}

}  // namespace unixemu
