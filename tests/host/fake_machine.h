// A simulated machine for host tests of the Cache Kernel proper: the arch:: memory and
// user-mode interface over a heap buffer standing for physical memory, with real 68040
// page tables (page_table.cpp) in a table pool inside it.
#pragma once

#include <string>
#include <vector>

#include "arch/arch.h"
#include "run_loop.h"

namespace fake_machine {

using namespace ck;

inline constexpr PhysAddr kMemoryBase{0x00100000};
inline constexpr u32 kMemoryBytes = 8 * MiB;
inline constexpr u32 kTableBytes = 1 * MiB;  // the pool, at the top of the memory
inline constexpr PhysAddr kTablesBase = kMemoryBase + (kMemoryBytes - kTableBytes);

// Fresh memory and table pool; forgets the console output.
void reset();
// The disk's transfer in flight ends (its interrupt): arch::disk_poll() says so next.
void end_disk_transfer();
// What the kernel wrote to the console since reset().
const std::string& console_output();
// Console input arch::console_poll() returns, byte by byte.
void type(const std::string& text);
// User mode touching a page: sets its used bit, and for a write its modified bit (as
// the MMU, or the kernel's software dirty tracking, would). False when the access
// would fault.
bool touch(PhysAddr root, VirtAddr va, bool write);
// The current user address space (switch_address_space).
PhysAddr current_space();
// arch::clock_ns() returns `ns` + `step` on its next read, and moves `step` further on
// each read after (1000 after reset()).
void set_time(u64 ns, u64 step = 0);
// The physical pages arch::sync_code_page was called with since reset(), in order.
const std::vector<PhysAddr>& synced_code_pages();
// What arch::set_call_hook, set_entry_hook, set_forward_hook, set_resume_hook and
// set_card_hook installed.
inline arch::CallHook g_call_hook;
inline arch::EntryHook g_entry_hook;
inline arch::ForwardHook g_forward_hook;
inline arch::ResumeHook g_resume_hook;
inline arch::CardHook g_card_hook;
inline arch::LoadResumeHook g_load_resume_hook;
inline arch::PlainLoadHook g_plain_load_hook;
inline arch::PlainCallHook g_plain_call_hook;
// arch::continue_in accepts (switching the current space) while this is true; the
// context, space and call gate it last accepted.
inline bool g_enter_directly = true;
struct Continued {
  arch::UserContext* context = nullptr;
  PhysAddr root;
  bool calls = false;
};
inline Continued g_continued;
// The thread ck::running_thread() reports (run_loop.cpp is not part of host tests).
inline Thread* g_running_thread;
// What ck::uncharged_ns() reports.
inline u64 g_uncharged_ns;

}  // namespace fake_machine
