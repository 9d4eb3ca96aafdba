// The narrow interface between the portable Cache Kernel and its machine. The portable
// kernel includes this header and nothing under arch/<machine>/.
#pragma once

#include "ck/abi.h"
#include "fault.h"
#include "lib/format.h"
#include "lib/types.h"
// The machine's types the portable kernel stores by value (arch/current.h).
#include "arch/current.h"

namespace ck::arch {

inline constexpr usize kMaxMemoryRanges = 4;

// Where the kernel image sits in memory, from the linker script.
struct ImageLayout {
  PhysAddr vectors;
  PhysAddr text_start, text_end;  // code and read-only data
  PhysAddr data_start, data_end;
  PhysAddr bss_start, bss_end;
  PhysAddr boot_stack_bottom, boot_stack_top;
  PhysAddr end;
};

// What the boot loader told us about the machine.
struct Platform {
  PhysRange memory[kMaxMemoryRanges];
  usize memory_count = 0;
  StrView command_line;

  u32 ram_bytes() const {
    u32 total = 0;
    for (usize i = 0; i < memory_count; ++i) total += memory[i].size;
    return total;
  }
};

const Platform& platform();
ImageLayout image_layout();

// Writes the machine-specific banner lines (CPU, devices) to `out`.
void describe_machine(Sink& out);

// The console: synchronous, polled output usable from any context, including fatal paths.
Sink& console();
// The next received console character, or -1 when none is waiting.
int console_poll();

// Ends the run. On QEMU: power_off exits with status 0, fatal_stop with a failure
// status (with -action panic=exit-failure), reboot restarts the machine.
[[noreturn]] void power_off();
[[noreturn]] void fatal_stop();
[[noreturn]] void reboot();

// Prints `message`, the current stack and registers, then fatal_stop().
[[noreturn]] void panic_stop(StrView message);

// Executes an illegal instruction (the monitor's `crash` command shows the fatal report).
void execute_illegal_instruction();

// The kernel stack's deepest use since boot (its unused part holds a pattern): shown in
// fatal reports, at power_off, and by CK_QUERY_STACK_HIGH_WATER.
struct StackUsage {
  u32 high_water = 0;  // bytes
  u32 size = 0;
};
StackUsage kernel_stack_usage();

// ---- Memory management (paper §4.1) -----------------------------------------------
// An address space's page tables are named by the physical address of their root; the
// portable kernel never looks inside them. Only the kernel runs in supervisor mode, and
// it reaches all RAM and I/O at their physical addresses; user mode sees only what its
// address space maps.

inline constexpr u32 kPageBytes = 4096;
using MapStatus = m68k::MapStatus;

struct PageState {
  PhysAddr page;
  bool writable = false;
  bool used = false;      // referenced since mapped (or since the bits were cleared)
  bool modified = false;  // written since mapped
  u32 tag = 0;            // the word kept beside the translation (set_page_tag)
};

// Turns the MMU and caches on, with page tables allocated from `table_pool`.
void init_memory_management(PhysRange table_pool, PhysAddr ram_end);
// Page-table bytes the kernel's own map of `ram_bytes` of RAM takes from that pool,
// besides what address spaces get (the boot sizes the pool with it).
u32 kernel_map_table_bytes(u32 ram_bytes);
// Empty tables for a new address space; PhysAddr(0) when the pool is exhausted.
PhysAddr create_page_tables();
void destroy_page_tables(PhysAddr root);
// `tag` is kept beside the translation (set_page_tag).
// `written`: the page is about to be written (the retry of the write that faulted for
// it): it is installed already modified, as that write would leave it, so that the
// write does not fault a second time to have its modified bit recorded.
MapStatus map_page(PhysAddr root, VirtAddr va, PhysAddr pa, bool writable, bool cached = true, u32 tag = 0,
                   bool written = false);
MapStatus unmap_page(PhysAddr root, VirtAddr va, PageState* old);
MapStatus protect_page(PhysAddr root, VirtAddr va, bool writable);
bool lookup_page(PhysAddr root, VirtAddr va, PageState* out);
// Whether `va` has a translation (lookup_page without the state).
bool page_mapped(PhysAddr root, VirtAddr va);
// A mapping load's one walk: whether page-aligned `va` has no translation, and where it
// would go (`*slot`), which map_page_at then fills without a walk of its own (valid
// while no table is released in between; else map_page_at walks as map_page does).
using PageSlot = m68k::PageSlot;
bool page_free(PhysAddr root, VirtAddr va, PageSlot* slot);
MapStatus map_page_at(const PageSlot& slot, PhysAddr root, VirtAddr va, PhysAddr pa, bool writable, bool cached,
                      u32 tag, bool written);
// The physical page `va`'s page is mapped to, in `*page`; false when it is not mapped
// (lookup_page with nothing else: the kernel reading a call's argument).
bool translate_page(PhysAddr root, VirtAddr va, PhysAddr* page);
// Keeps a word beside the page's translation, which lookup_page gives back (the
// portable kernel's mapping record: found in one table walk). False when not mapped.
bool set_page_tag(PhysAddr root, VirtAddr va, u32 tag);
// The word set_page_tag keeps beside `va`'s translation, in `*tag` (lookup_page without
// decoding the descriptor: every mapping unload and signal finds its record so); false
// when not mapped.
bool page_tag(PhysAddr root, VirtAddr va, u32* tag);
// Clears the page's used bit (the replacement clock's second chance): true when it was
// set (false too when the page is not mapped). One table walk.
bool clear_page_used(PhysAddr root, VirtAddr va);
// The lowest mapped page at or above `from`; false when there is none.
bool next_mapping(PhysAddr root, VirtAddr from, VirtAddr* va);
// The kernel wrote to the page on a thread's behalf: record it as used and modified.
// False when user mode may not write the page.
bool mark_page_modified(PhysAddr root, VirtAddr va);
// Where the kernel writes [va, va + bytes) of `root`'s user memory directly, when it lies
// in one page user mode may write (marked used and modified now, as mark_page_modified
// would); nullptr otherwise, changing nothing. One table walk.
void* user_write_window(PhysAddr root, VirtAddr va, u32 bytes);
// Where the kernel reads and writes the physical address `pa`.
void* physical_memory(PhysAddr pa);
// Makes `root` the address space user mode runs in.
void switch_address_space(PhysAddr root);
u32 page_table_bytes_free();
// After writing instructions to memory: make instruction fetches see them (the whole
// data cache pushed, the whole instruction cache invalidated).
void sync_instruction_cache();
// The same for one physical page (CK_SYNC_CODE).
void sync_code_page(PhysAddr page);

// The image's PROM table of application kernels (ck_prom_table, paper §3); size 0 in an
// image without one.
struct PromBytes {
  const u8* bytes;
  u32 size;
};
PromBytes prom_table();

// The machine's disk (virtio-blk on QEMU's virt machine), 512-byte sectors; found on
// the first call. One transfer at a time, asynchronous (never a wait with interrupts
// masked): disk_start() begins it (false: no disk, one in flight, or out of range); its
// end raises InterruptEvents::disk, and disk_poll() then says how it went, once.
inline constexpr u32 kSectorBytes = 512;
enum class DiskState : u8 { Idle, Busy, Done, Failed };
u64 disk_sectors();  // 0: no disk
bool disk_start(bool write, u64 sector, PhysAddr buffer, u32 sectors);
// Busy while the transfer is in flight; Done or Failed when it has ended (then Idle).
DiskState disk_poll();

// Entropy from the machine, at boot (for the first kernel, which hands it on): QEMU's
// boot seed (BI_RNG_SEED: its host's getrandom) and its virtio-rng device, each folded
// into `out` (kEntropyBytes) when there. Returns which gave bytes (CK_ENTROPY_* bits of
// ck/abi.h); 0: the machine has no source. Waits for the device with interrupts masked,
// a bounded time: call it before the first kernel runs.
inline constexpr u32 kEntropyBytes = 32;
u32 machine_entropy(u8 (&out)[kEntropyBytes]);

// ---- User mode (paper §2.1, §2.3) -------------------------------------------------

using UserContext = m68k::UserContext;

// A context that starts at `pc` with user stack `sp`, every other register zero.
void init_user_context(UserContext& context, VirtAddr pc, VirtAddr sp);
// Runs the thread whose state is `context` in user mode, in the current address space,
// until it enters the kernel; returns why. `calls`: a trap #0 there is a Cache Kernel
// call (the call hook's), not a trap. The context then holds its complete state, and
// running it again continues it (restarting a faulted access); when a hook made the
// thread go on in another of its contexts on the way (continue_in), that context holds
// the entry. Interrupts that brought it in have been handled: see
// take_interrupt_events().
UserEntry run_user(UserContext& context, bool calls);
// Makes `context` hold the thread's complete state, including what only the FPU held,
// before the thread is set aside (taken off the run queue, written back, destroyed).
void save_user_context(UserContext& context);
// `context` will not run again as it is (an exception handler left: the next forward
// starts it afresh): what only the FPU holds of it need not be saved.
void discard_user_context(UserContext& context);

// The Cache Kernel call ABI (ck/abi.h): operation and arguments as the
// calling thread left them in its registers, and where the results go.
struct CallArguments {
  u32 op;
  u32 arg[4];
  u32 pointer;

  // On the fast path the results go back in place of the operation and first argument.
  void set_result(i32 status, u32 value) {
    op = static_cast<u32>(status);
    arg[0] = value;
  }
};
CallArguments call_arguments(const UserContext& context);
void set_call_result(UserContext& context, i32 status, u32 value);
// The register a system call returns its result in (CK_RESUME_RESULT): d0.
void set_return_value(UserContext& context, u32 value);
// Whether `context` stopped at a write that faulted in the page at `page` (the access
// error it resumes from).
bool stopped_writing(const UserContext& context, VirtAddr page);

// The fast path of a call (paper §5.3): a trap #0 from user mode runs the hook on the
// kernel stack with only the call's registers saved, not the thread's whole context.
enum class CallOutcome : u32 {
  Return = 0,     // results are in the arguments: back to the same thread
  FullEntry = 1,  // nothing was done: enter the kernel as for any other trap
  Switched = 2,   // done, and the thread now runs another context, or none: run_user
                  // returns EntryKind::Call
  Preempt = 3,    // done, results in the arguments, but another thread must run first (or
                  // the caller blocked itself): the whole context is saved and run_user
                  // returns EntryKind::Call
  Enter = 4,      // done, and the thread goes on in the context continue_in() accepted,
                  // entered straight from the call (paper §5.3's fast return)
  SwitchTo = 5,   // done, results in the arguments; the caller's whole context is saved as
                  // for Preempt, and another thread runs next, in the context continue_in()
                  // accepted, entered straight from the call
};
struct CallHook {
  CallOutcome (*handle)(void* self, CallArguments& arguments);
  void* self;
};
// Installs the hook (handle == nullptr: every call takes the full entry).
void set_call_hook(CallHook hook);

// The fast path of an exception (paper §2.1, §2.3, §5.3: a trap or fault forwarded to
// the thread's kernel): a trap, or a fault that is not the MMU's own business (a first
// write to record, an access a translation forbids), from user mode runs the hook once
// the thread's context holds it, before run_user returns.
enum class EntryOutcome : u32 {
  FullEntry = 0,  // nothing was done: run_user returns the entry
  Enter = 1,      // done; the thread goes on in the context continue_in() accepted
  Done = 2,       // done; run_user returns EntryKind::Call (the run loop decides)
};
struct EntryHook {
  EntryOutcome (*handle)(void* self, const UserEntry& entry);
  void* self;
};
void set_entry_hook(EntryHook hook);

// The fast path of a forwarded exception (paper §2.3, §5.3): the hook, asked about the
// running thread's trap or fault (as the entry hook would be), answers with where its
// kernel's handler starts, having done everything else a forward does: the frame but
// its registers written on the handler's stack, the thread in its handler. The entry
// path then copies the thread's registers to `registers`, switches to `root` and enters
// the handler at `pc` with USP = `sp`, A0 = `frame` and every other register zero.
// False when it cannot, having changed nothing (the entry hook then takes it).
struct HandlerEntry {
  UserContext* context = nullptr;  // the thread's handler context, which the entry fills
  PhysAddr root;                   // the kernel's home space
  u32 pc = 0;
  u32 sp = 0;
  u32 frame = 0;
  ck_registers* registers = nullptr;  // in the frame, where the kernel reaches it
};
struct ForwardHook {
  bool (*handle)(void* self, const UserEntry& entry, HandlerEntry* out);
  void* self;
};
void set_forward_hook(ForwardHook hook);
// Makes `context` ready to be entered as a fresh exception handler on the forward fast
// path (its registers are set as it is entered): no writes carried, a reset FPU.
void prepare_handler_context(UserContext& context);

// The forward fast path's card (paper §5.3): what the entry path needs to forward a
// running thread's trap or fault to its kernel's handler without reading the kernel's
// objects.
// The kernel keeps one beside each loaded thread, filled when the thread is loaded
// (nothing on it changes while the thread stays loaded; the home space, which may come
// and go, is read through `home_root` at each use), and attaches it to the thread's own
// context (attach_card). The entry path writes the frame itself, through the handler's
// stack page as the home space's tables map it, and asks the card hook for the state
// change; anything it does not handle goes through the hooks above. A fault's entry is
// decoded (and found not to be the MMU's own business) first, as for the entry hook.
struct ExceptionCard {
  u32 handler = 0;  // the kernel's handler
  u32 frame = 0;    // the ck_exception on the exception stack; 0: the handler's stack
                    // (the frame and the two words below it) is not within one page
  u32 thread = 0;   // the frame's identifiers, in ck_exception's order
  u32 thread_cookie = 0;
  u32 space = 0;
  u32 space_cookie = 0;
  const PhysAddr* home_root = nullptr;  // the kernel's home space's root; 0 without one
  void* owner = nullptr;                // the thread, for the hook
  // For the entry path's own state change (FastPathLinks): the kernel's home space as
  // the thread's `space` names it while in its handler (read through the pointer, as
  // home_root), and its own space, what `space` is while it runs its own code.
  void* const* home_space = nullptr;
  void* own_space = nullptr;
  // Nonzero when its kernel's handler does not use the FPU (CK_KERNEL_HANDLER_NO_FPU): a
  // forward from the card leaves the FPU holding the thread's own state, neither saved
  // nor reset, and the handler runs with it (the FPU's owner stays the context that
  // trapped, so any later switch saves it there).
  u32 keep_fpu = 0;
};
// Makes `card` (or nullptr: none) the one the entry path forwards `context`'s traps and
// faults from.
void attach_card(UserContext& context, const ExceptionCard* card);
const ExceptionCard* attached_card(const UserContext& context);
// What the exception was: ck_exception's first four words.
struct ExceptionWords {
  u32 kind = 0;
  u32 vector = 0;
  u32 address = 0;
  u32 access = 0;
};
// The state change of a forward from the card: the thread that owns `card`, running
// its own code, goes into its kernel's handler for `fault` (or, when it is nullptr,
// trap `trap`) as the forward hook would have it but for the frame, which the entry
// path writes: what the exception was goes to `report`. Returns its handler context,
// or nullptr, having changed nothing, when the general path is to take the entry.
struct CardHook {
  UserContext* (*handle)(void* self, const ExceptionCard& card, u32 trap, const Fault* fault, ExceptionWords* report);
  void* self;
};
void set_card_hook(CardHook hook);

// The fast path of a handler's CK_RESUME without flags or with CK_RESUME_RESULT (paper
// §5.3; every forwarded trap ends with one): the hook resumes the running thread's
// interrupted context, with `result` in its d0 when `flags` is CK_RESUME_RESULT.
enum class ResumeOutcome : u32 {
  Declined = 0,  // nothing was done: the call hook takes the call (and answers errors)
  Enter = 1,     // resumed; entered as continue_in() accepted it
  Switched = 2,  // resumed; the run loop enters it (run_user returns EntryKind::Call)
};
struct ResumeHook {
  ResumeOutcome (*handle)(void* self, u32 flags, u32 result);
  void* self;
};
void set_resume_hook(ResumeHook hook);

// The common case of the card hook's state change (a trap forwarded from the card) and
// of the resume hook's (a plain CK_RESUME of a handler back to a context with nothing
// left to do) done by the entry path itself, without the hooks (paper §5.3): it reads
// and changes the thread's execution state where the portable kernel keeps it, at
// offsets the portable kernel checks against the machine's (arch/<machine>/'s
// fast_path_layout.h: kThreadLayout*, when kAssemblyFastPaths), and the few things
// beside the thread that the hooks read or change, through these pointers. Whatever
// it cannot prove to be the common case goes to the hooks having changed nothing.
// Given once the hooks are installed; `enabled` false (the default) leaves every case
// to the hooks.
struct FastPathLinks {
  bool enabled = false;
  void* const* running = nullptr;       // the running thread (run_loop.h)
  void** current = nullptr;             // the object caches' current thread (Scheduler)
  void* const* front = nullptr;         // the run queue's front (RunQueue::front)
  const u32* signals_queued = nullptr;  // each thread slot's count of queued signals,
  u32 signals_stride = 0;               // `signals_stride` bytes apart
};
void set_fast_path_links(const FastPathLinks& links);

// CK_LOAD_MAPPING_RESUME's own hook (paper §5.3's optimized mapping load, the end of
// every forwarded page fault), which call_entry asks before the call hook: the call as
// the call hook does it, answered as a CallOutcome, or LoadResume::Continue (loaded and
// resumed: the running thread goes on in its context, Thread::context in Thread::space,
// which the entry path enters itself when continue_in's checks hold, else the run
// loop), or LoadResume::Declined (nothing done: the call hook takes the call). The
// 68040's call_entry also sends CK_LOAD_MAPPING here, answered as the call hook does.
namespace LoadResume {
inline constexpr u32 Continue = 6;
inline constexpr u32 Declined = 7;
}  // namespace LoadResume
struct LoadResumeHook {
  u32 (*handle)(void* self, CallArguments& arguments);
  void* self;
};
void set_load_resume_hook(LoadResumeHook hook);
// CK_LOAD_MAPPING's common case (the call application kernels make most, paper §5.3),
// which the 68040's call_entry asks first: true when answered (the status and value set
// in `arguments`, the caller to go on at once), false having done nothing (the
// load-resume hook takes the call).
struct PlainLoadHook {
  bool (*handle)(void* self, CallArguments& arguments);
  void* self;
};
void set_plain_load_hook(PlainLoadHook hook);
// CK_LOAD_MAPPING's common case done by the entry path itself, before that hook (the
// 68040's entry.S, paper §5.3): a load of a free page of a space the caller's kernel
// owns, to a page it may map, that no receiver shares, with a record free, the page
// table there and the caller's writeback its own. It reads and changes the objects of
// load_mapping_plain where the portable kernel keeps them, at offsets the portable
// kernel checks (arch/<machine>/fast_path_layout.h), found through these pointers;
// everything else (every refusal included) goes to the hook having changed nothing.
// `physmap` null (the default) leaves every load to the hook.
struct PlainLoadLinks {
  const void* space_meta = nullptr;  // the spaces' slot generations and loaded flags
  const void* spaces = nullptr;      // the spaces' descriptors
  u32 space_slot_mask = 0;           // an identifier's slot bits (a power of two of slots)
  u32 space_slot_bits = 0;
  const void* rights = nullptr;           // each kernel's page groups
  void* physmap = nullptr;                // the physical memory map
  u32* tagged = nullptr;                  // the tag the last map wrote (MemoryMap)
  void* space_counts = nullptr;           // each space's mapping count and lowest mapping
  const u32* writeback_first = nullptr;   // the first kernel's slot, for the writeback's route
  const void* writeback_rings = nullptr;  // each kernel's ring (where, its size, its head, overflowing)
  u32 hash_shift = 0;                     // 32 - the physical memory map's bucket bits
};
void set_plain_load_links(const PlainLoadLinks& links);
// Other calls in their common case, none needing the caller's whole context (CK_LOAD_SPACE
// and CK_LOAD_THREAD with a slot free: nothing written back, no thread unloaded;
// CK_WAKE, CK_SIGNAL, CK_BLOCK, CK_WAIT_SIGNAL, CK_UNLOAD_MAPPING, CK_UNLOAD_THREAD of
// another thread), which the 68040's call_entry asks
// before the call hook: done, answered as the call hook answers (an arch::CallOutcome:
// the caller goes on, or gives way to a thread it readied, or blocked itself), or
// PlainCall::Declined having done nothing (the call hook takes the call).
namespace PlainCall {
inline constexpr u32 Declined = 7;
}  // namespace PlainCall
// `ops`, when given, has each of those calls' own handler by operation (nullptr: none),
// which the 68040's entry calls instead of `handle` (one dispatch less: `handle`
// switches on the operation to the same handlers).
inline constexpr u32 kPlainCallOps = 27;  // operations 0..26: call_entry's table
using PlainCallHandler = u32 (*)(void* self, CallArguments& arguments);
struct PlainCallHook {
  PlainCallHandler handle;
  void* self;
  const PlainCallHandler* ops = nullptr;  // kPlainCallOps entries
};
void set_plain_call_hook(PlainCallHook hook);
// What the entry path forwarded and resumed itself since boot, which the hooks would have
// counted (CacheKernel::counters).
struct FastPathCounts {
  u64 forwarded = 0;
  u64 calls = 0;
};
FastPathCounts fast_path_counts();

// From a hook, after the running thread changed context (an exception handler entered
// or left): it goes on in `context`, which runs in the address space `root` (`calls`:
// as run_user's). True when that context can be entered straight from the hook, which
// then answers Enter: the address space and FPU are switched to it. False, having
// changed nothing, when it needs the run loop's entry (writes it still has to do).
bool continue_in(UserContext& context, PhysAddr root, bool calls);

// A thread's registers in the ABI's form. set_registers keeps a faulted access's
// restart state when the pc is unchanged and abandons it (plain frame) otherwise, keeping
// the frame's pending writes as carried ones (they belong to instructions that
// completed); only the condition codes of sr are taken.
void get_registers(const UserContext& context, ck_registers* out);
void set_registers(UserContext& context, const ck_registers& in);
// Writes the thread did that memory has not seen yet (ck_pending_write): a 68040
// access-error frame's pending writebacks, and writes carried in from a loaded state or
// from a frame set_registers abandoned. run_user performs them, in order and with the
// thread's own rights, before the thread runs on; a write its space does not allow is
// reported as the thread's write fault, and stays pending.
void get_pending_writes(const UserContext& context, ck_pending_write (&out)[CK_PENDING_WRITES]);
// Whether every entry is well-formed: size 0 with address and data 0, or 1, 2 or 4 with
// data that fits.
bool valid_pending_writes(const ck_pending_write (&in)[CK_PENDING_WRITES]);
// Replaces the writes carried by `context` (of a fresh context: init_user_context) with
// `in`, which must be valid.
void set_pending_writes(UserContext& context, const ck_pending_write (&in)[CK_PENDING_WRITES]);
// FPU registers: `context` must have been saved (save_user_context) before reading.
void get_fpu_registers(const UserContext& context, ck_fpu_registers* out);
void set_fpu_registers(UserContext& context, const ck_fpu_registers& in);
// The whole context of a thread loaded with `state` (CK_LOAD_THREAD), each word written
// once: what init_user_context at its pc and sp, then set_registers, set_fpu_registers
// and set_pending_writes (`state.pending` must be valid) would leave.
void load_user_context(UserContext& context, const ck_thread_state& state);
// CK_SET_THREAD_VALUE (paper §2.3's trap forwarding, short-cut): a trap #0 of the thread
// outside its kernel's home space with d0 == `call` returns d0 = `value` straight from
// the kernel's trap entry (0: no such call). Kept in the thread's own context.
void set_thread_value(UserContext& context, u32 call, u32 value);
void get_thread_value(const UserContext& context, u32* call, u32* value);
// Makes `context` start an exception handler: at `pc` with user stack `sp`, `a0` in
// A0, every other register zero, a reset FPU.
void enter_handler(UserContext& context, VirtAddr pc, VirtAddr sp, u32 a0);

// ---- Interrupts and time ----------------------------------------------------------

// What interrupt handling has seen since the last call.
struct InterruptEvents {
  u32 ticks = 0;
  bool console_input = false;
  bool disk = false;  // the disk's transfer ended (disk_poll())
};

// Starts the periodic tick and console input interrupts. Until then the console is
// polled and wait_for_interrupt() must not be used.
void start_interrupts(u32 tick_hz);
InterruptEvents take_interrupt_events();
// Sleeps until an interrupt has been handled (the kernel's idle loop).
void wait_for_interrupt();
// The machine clock: nanoseconds since interrupts started at boot.
u64 clock_ns();
// Its low 32 bits (one register read): for differences shorter than 4.29 s.
u32 clock_low_ns();
// The calendar when that clock started: nanoseconds since 1970 (the RTC's reading; the
// host's time under QEMU).
u64 clock_epoch_ns();

// The longest stretches the kernel ran with interrupts masked (issue 15), measured only
// in images built with MEASURE_MASKED (`measured`): overall, and outside the first
// kernel's invariant walk (CK_QUERY_DIGEST). `what`: a call's operation number, or:
struct MaskedStretches {
  static constexpr u32 kVector = 0x100;         // + the vector: an exception or interrupt from user mode
  static constexpr u32 kIdleWakeUp = 0x200;     // an interrupt that ended the idle STOP
  static constexpr u32 kInvariantWalk = 0x300;  // CK_QUERY_DIGEST: the first kernel's walk of every cache
  static constexpr u32 kUnknownCall = 0xff;     // an operation number beyond the ABI's
  bool measured = false;
  u64 longest_ns = 0;
  u32 longest_what = 0;
  u64 outside_walk_ns = 0;
  u32 outside_walk_what = 0;
};
MaskedStretches masked_stretches();

}  // namespace ck::arch
