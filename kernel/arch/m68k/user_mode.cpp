// Running user threads (paper §2.1, §2.3): enter user mode from a thread's saved
// context, come back with what it did, decoded. The FPU state follows the thread that
// runs; the integer state is saved and restored by entry.S.
#include "arch/arch.h"
#include "arch/m68k/exception_frame.h"
#include "arch/m68k/fast_path_layout.h"
#include "arch/m68k/interrupts.h"
#include "arch/m68k/masked_stretch.h"
#include "arch/m68k/mmu.h"
#include "arch/m68k/user_entry.h"

extern "C" {
ck::u32 m68k_run_user(ck::m68k::UserContext* context);
// entry.S's state: the context user mode runs (and whose entry it saves), the one
// enter_next enters, and whether a trap #0 is a call there.
extern ck::m68k::UserContext* m68k_user_context;
extern ck::m68k::UserContext* m68k_next_context;
extern bool m68k_call_gate;
// Whose state the FPU registers hold (switch_fpu).
ck::m68k::UserContext* m68k_fpu_owner = nullptr;
// arch::FastPathLinks, as entry.S reads them.
// No running thread for entry.S until they are given, nor when they are taken away: it
// then leaves every case to the hooks.
extern void* const m68k_no_thread;
void* const m68k_no_thread = nullptr;
void* const* m68k_fast_running = &m68k_no_thread;
void** m68k_fast_current = nullptr;
void* const* m68k_fast_front = nullptr;
// What entry.S forwarded and resumed itself (arch::fast_path_counts).
ck::u64 m68k_fast_forwarded = 0;
ck::u64 m68k_fast_calls = 0;
const ck::u32* m68k_fast_signals = nullptr;
ck::u32 m68k_fast_signals_stride = 0;
// The physical memory map load_fast finds while no links are given: a stand-in with no
// record free, so that it declines every load at its first look (no test of the links).
struct NoPhysMap {
  ck::u32 words[PM_USED / 4 + 1];
};
constexpr NoPhysMap no_physmap() {
  NoPhysMap m{};
  m.words[PM_FREE / 4] = 0xffffffff;  // PhysMap::kNone
  return m;
}
NoPhysMap m68k_no_physmap = no_physmap();
// arch::PlainLoadLinks, as entry.S's load_fast reads them (LL_* in fast_path_layout.h).
ck::arch::PlainLoadLinks m68k_plain_load_links{.physmap = &m68k_no_physmap};
}
static_assert(offsetof(ck::arch::PlainLoadLinks, space_meta) == LL_SPACE_META &&
                  offsetof(ck::arch::PlainLoadLinks, spaces) == LL_SPACES &&
                  offsetof(ck::arch::PlainLoadLinks, space_slot_mask) == LL_SPACE_MASK &&
                  offsetof(ck::arch::PlainLoadLinks, space_slot_bits) == LL_SPACE_BITS &&
                  offsetof(ck::arch::PlainLoadLinks, rights) == LL_RIGHTS &&
                  offsetof(ck::arch::PlainLoadLinks, physmap) == LL_PHYSMAP &&
                  offsetof(ck::arch::PlainLoadLinks, tagged) == LL_TAGGED &&
                  offsetof(ck::arch::PlainLoadLinks, space_counts) == LL_COUNTS &&
                  offsetof(ck::arch::PlainLoadLinks, writeback_first) == LL_WB_FIRST &&
                  offsetof(ck::arch::PlainLoadLinks, writeback_rings) == LL_WB_RINGS &&
                  offsetof(ck::arch::PlainLoadLinks, hash_shift) == LL_HASH_SHIFT,
              "load_fast's links (fast_path_layout.h)");
static_assert(ABI_CK_LOAD_SPACE == CK_LOAD_SPACE && ABI_CK_LOAD_THREAD == CK_LOAD_THREAD &&
              ABI_CK_LOAD_SPACE < ABI_CK_LOAD_THREAD && ABI_CK_LOAD_THREAD < ABI_CK_LOAD_MAPPING &&
              ABI_CK_LOAD_MAPPING == CK_LOAD_MAPPING && ABI_CK_LOAD_MAPPING < ABI_CK_RESUME);
static_assert(ABI_CK_UNLOAD_THREAD == CK_UNLOAD_THREAD && ABI_CK_LOAD_THREAD + 1 == ABI_CK_UNLOAD_THREAD &&
                  ABI_CK_UNLOAD_THREAD + 1 == ABI_CK_LOAD_MAPPING && ABI_CK_UNLOAD_MAPPING == CK_UNLOAD_MAPPING &&
                  ABI_CK_LOAD_MAPPING + 1 == ABI_CK_UNLOAD_MAPPING && ABI_CK_UNLOAD_MAPPING < ABI_CK_RESUME,
              "call_entry's call_table: the unloads beside the loads");
static_assert(ABI_CK_BLOCK == CK_BLOCK && ABI_CK_WAKE == CK_WAKE && ABI_CK_SIGNAL == CK_SIGNAL &&
                  ABI_CK_WAIT_SIGNAL == CK_WAIT_SIGNAL && ABI_CK_QUERY + 1 == ABI_CK_BLOCK &&
                  ABI_CK_BLOCK + 1 == ABI_CK_WAKE && ABI_CK_WAKE < ABI_CK_SIGNAL &&
                  ABI_CK_SIGNAL < ABI_CK_WAIT_SIGNAL && ABI_CK_WAIT_SIGNAL < CALL_TABLE_OPS,
              "call_entry's call_table: its plain_call entries");
static_assert(ABI_CK_QUERY == CK_QUERY && ABI_CK_QUERY_TIME == CK_QUERY_TIME && ABI_CK_RESUME == CK_RESUME &&
                  ABI_CK_RESUME_RESULT == CK_RESUME_RESULT && ABI_CK_LOAD_MAPPING_RESUME == CK_LOAD_MAPPING_RESUME &&
                  CK_NULL == 0,
              "the calls call_entry answers or sends on itself");
static_assert(ABI_CK_MAP_WRITE == CK_MAP_WRITE && ABI_CK_MAP_NOCACHE == CK_MAP_NOCACHE &&
                  ABI_CK_PAGE_MAPPINGS_MAX == CK_PAGE_MAPPINGS_MAX && ABI_CK_WB_THREAD_SLOTS == CK_WB_THREAD_SLOTS &&
                  CK_OK == 0,
              "load_fast's flags and limit");

namespace ck::arch {

namespace {

// Whose state the FPU registers hold; nullptr after reset or when that thread left
// (m68k_fpu_owner, which entry.S's own forward and resume switch the same way).
m68k::UserContext*& g_fpu_owner = m68k_fpu_owner;

CallHook g_call_hook;
EntryHook g_entry_hook;
ForwardHook g_forward_hook;
ResumeHook g_resume_hook;
CardHook g_card_hook;
LoadResumeHook g_load_resume_hook;
PlainLoadHook g_plain_load_hook;
PlainCallHook g_plain_call_hook;
static_assert(sizeof(CallArguments) == 24, "D0-D4 and A0 as call_entry pushes them");

void save_fpu(m68k::FpuState& s) {
  // FSAVE first: it waits for the FPU to finish and tells whether it holds any state
  // at all (a null frame, first byte 0, means never used since reset/restore).
  asm volatile("fsave (%0)" : : "a"(s.internal) : "memory");
  if (s.internal[0] == 0) return;
  asm volatile(
      "fmovem.x %%fp0-%%fp7, (%0)\n\t"
      "fmovem.l %%fpcr/%%fpsr/%%fpiar, (%1)"
      :
      : "a"(s.registers), "a"(s.control)
      : "memory");
}

void restore_fpu(const m68k::FpuState& s) {
  if (s.internal[0] != 0) {
    asm volatile(
        "fmovem.l (%1), %%fpcr/%%fpsr/%%fpiar\n\t"
        "fmovem.x (%0), %%fp0-%%fp7"
        :
        : "a"(s.registers), "a"(s.control)
        : "memory");
  }
  // Last: FRESTORE of a null frame resets the FPU, of another frame reloads its
  // internal state.
  asm volatile("frestore (%0)" : : "a"(s.internal) : "memory");
}

[[gnu::always_inline]] inline void switch_fpu_inline(m68k::UserContext& next) {
  if (g_fpu_owner == &next) return;
  if (g_fpu_owner != nullptr) save_fpu(g_fpu_owner->fpu);
  restore_fpu(next.fpu);
  g_fpu_owner = &next;
}

// Out of line but where every forward and resume passes (switch_fpu_inline).
void switch_fpu(m68k::UserContext& next) { switch_fpu_inline(next); }

// One pending write, byte by byte (a misaligned write may cross into another page),
// as a user write of the thread: store_user_byte checks that its space's tables let user
// mode write there. False, with `entry` describing the fault, when they do not: the
// owner's help is needed first (the bytes already written are written again then).
constexpr u16 kAccessErrorVector = 2;

bool perform_write(const m68k::UserContext& context, const m68k::PendingWrite& w, UserEntry* entry) {
  for (u32 b = 0; b < w.size; ++b) {
    const VirtAddr va(w.address + b);
    if (m68k::store_user_byte(va, static_cast<u8>(w.data >> (8 * (w.size - 1 - b))))) continue;
    m68k::Translation t;
    entry->kind = EntryKind::Fault;
    entry->fault = Fault{.kind = m68k::lookup_current(va, &t) ? FaultKind::Protection : FaultKind::Mapping,
                         .vector = kAccessErrorVector,  // what it was, also for a carried write
                         .pc = VirtAddr(context.pc()),
                         .address = va,
                         .access = Access::Write,
                         .size = w.size};
    return false;
  }
  return true;
}

// A real 68040 leaves a faulted write pending in the access-error frame, and a thread
// reloaded from its written-back state may carry such writes: they are done here, in
// order (carried ones first: they are older), once the fault is resolved, before the
// thread runs on. False, with `entry` describing the fault, when a write needs the
// owner's help first; the writes not done stay pending.
bool complete_pending_writes(m68k::UserContext& context, UserEntry* entry) {
  while (context.carries_writes()) {
    if (!perform_write(context, context.carried[0], entry)) return false;
    context.drop_first_carried();
  }
  if (context.format() != 7) return true;
  m68k::PendingWrite writes[2];
  const usize n = m68k::pending_writes(context.frame, writes);
  for (usize i = 0; i < n; ++i) {
    if (!perform_write(context, writes[i], entry)) return false;
    m68k::clear_pending_write(context.frame, writes[i].slot);
  }
  return true;
}

bool has_pending_writes(const m68k::UserContext& context) {
  if (!m68k::may_have_pending_writes(context.frame)) return false;
  m68k::PendingWrite w[2];
  return m68k::pending_writes(context.frame, w) != 0;
}

}  // namespace

void set_call_hook(CallHook hook) { g_call_hook = hook; }
void set_entry_hook(EntryHook hook) { g_entry_hook = hook; }
void set_forward_hook(ForwardHook hook) { g_forward_hook = hook; }
void set_resume_hook(ResumeHook hook) { g_resume_hook = hook; }
void set_card_hook(CardHook hook) { g_card_hook = hook; }
void set_load_resume_hook(LoadResumeHook hook) { g_load_resume_hook = hook; }
void set_plain_load_hook(PlainLoadHook hook) { g_plain_load_hook = hook; }
void set_plain_call_hook(PlainCallHook hook) { g_plain_call_hook = hook; }

FastPathCounts fast_path_counts() { return FastPathCounts{.forwarded = m68k_fast_forwarded, .calls = m68k_fast_calls}; }

void set_plain_load_links(const PlainLoadLinks& links) {
  m68k_plain_load_links = links;
  if (links.physmap == nullptr) m68k_plain_load_links.physmap = &m68k_no_physmap;
}

void set_fast_path_links(const FastPathLinks& links) {
  m68k_fast_running = &m68k_no_thread;
  m68k_fast_current = links.current;
  m68k_fast_front = links.front;
  m68k_fast_signals = links.signals_queued;
  m68k_fast_signals_stride = links.signals_stride;
  if (links.enabled) m68k_fast_running = links.running;
}

bool continue_in(UserContext& context, PhysAddr root, bool calls) {
  // Writes to complete may fault: the run loop's entry does them (run_user).
  if (context.carries_writes() || (context.format() == 7 && has_pending_writes(context))) return false;
  switch_address_space(root);
  switch_fpu_inline(context);
  context.sanitize();
  m68k_next_context = &context;
  m68k_call_gate = calls;
  masked::end();
  return true;
}

void init_user_context(UserContext& context, VirtAddr pc, VirtAddr sp) {
  context = UserContext{};
  context.usp = sp.value();
  context.set_start(pc.value(), 0);
}

void save_user_context(UserContext& context) {
  if (g_fpu_owner != &context) return;
  save_fpu(context.fpu);
  g_fpu_owner = nullptr;
}

void discard_user_context(UserContext& context) {
  if (g_fpu_owner == &context) g_fpu_owner = nullptr;
}

UserEntry run_user(UserContext& first, bool calls) {
  switch_fpu(first);
  m68k_call_gate = calls;
  UserContext* c = &first;
  // The one object returned (no copy of it on the way out: GCC copies a returned
  // aggregate with a memcpy call, on every entry).
  UserEntry entry;
  for (;;) {
    UserContext& context = *c;
    if ((context.carries_writes() || context.format() == 7) && !complete_pending_writes(context, &entry)) return entry;
    context.sanitize();
    masked::end();
    if (m68k_run_user(&context) != 0) {
      entry.kind = EntryKind::Call;
      return entry;
    }
    // A hook may have entered another context of the thread on the way: the entry is
    // in the one that ran last.
    c = m68k_user_context;
    entry = m68k::decode_user_entry(c->frame);
    if (entry.kind == EntryKind::Trap && entry.trap == 0 && m68k_call_gate)
      masked::begin_call(c->d[0], c->d[1]);
    else
      masked::begin(MaskedStretches::kVector + c->vector());
    if (entry.kind == EntryKind::Interrupt) {
      m68k::handle_interrupt(c->vector() - m68k::kAutovectorBase);
      return entry;
    }
    if (entry.kind != EntryKind::Fault || entry.fault.kind != FaultKind::Mapping) return entry;
    // The MMU refused the access. A first write to a writable page only needs its
    // modified bit recorded; otherwise a translation that exists forbids the access.
    m68k::Translation t;
    if (!m68k::lookup_current(entry.fault.address, &t)) return entry;
    if (entry.fault.access == Access::Write && m68k::record_write_current(entry.fault.address)) continue;
    entry.fault.kind = FaultKind::Protection;
    return entry;
  }
}

}  // namespace ck::arch

// From call_entry (entry.S), interrupts masked, on the kernel stack.
extern "C" ck::u32 m68k_call(ck::arch::CallArguments* arguments) {
  using ck::arch::g_call_hook;
  namespace masked = ck::arch::masked;
  masked::begin_call(arguments->op, arguments->arg[0]);
  if (g_call_hook.handle == nullptr) return static_cast<ck::u32>(ck::arch::CallOutcome::FullEntry);
  const ck::arch::CallOutcome outcome = g_call_hook.handle(g_call_hook.self, *arguments);
  // Straight back to the caller with rte; every other outcome goes on in the kernel.
  if (outcome == ck::arch::CallOutcome::Return) masked::end();
  return static_cast<ck::u32>(outcome);
}

namespace ck::m68k {
// What entry.S's forward fast path enters (context_layout.h's PLAN_*).
struct ForwardPlan {
  ck_registers* registers;
  u32 pc;
  u32 sp;
  u32 frame;
  UserContext* context;
};
static_assert(offsetof(ForwardPlan, registers) == PLAN_REGISTERS && offsetof(ForwardPlan, pc) == PLAN_PC &&
              offsetof(ForwardPlan, sp) == PLAN_SP && offsetof(ForwardPlan, frame) == PLAN_FRAME &&
              offsetof(ForwardPlan, context) == PLAN_CONTEXT);
static_assert(offsetof(ck_registers, a) == REGS_A0 && offsetof(ck_registers, pc) == REGS_PC &&
              offsetof(ck_registers, sr) == REGS_SR && sizeof(ck_registers) == REGS_SR + 4);
static_assert(offsetof(UserContext, usp) == offsetof(UserContext, a) + 28, "A0-A6 and USP as ck_registers' a[8]");
static_assert(offsetof(UserContext, value_call) == CTX_VALUE_CALL && offsetof(UserContext, value) == CTX_VALUE,
              "call_entry's thread-value read");
static_assert(offsetof(UserContext, card) == CTX_CARD);
static_assert(offsetof(UserContext, walk_root) == CTX_WALK_ROOT &&
              offsetof(UserContext, walk_generation) == CTX_WALK_GEN &&
              offsetof(UserContext, walk_entry) == CTX_WALK_ENTRY);
static_assert(offsetof(UserContext, fpu) == CTX_FPU &&
                  offsetof(UserContext, fpu) + offsetof(FpuState, control) == CTX_FPU_CONTROL &&
                  offsetof(UserContext, fpu) + offsetof(FpuState, registers) == CTX_FPU_REGS,
              "the FPU switch of entry.S's own forward and resume");
static_assert(offsetof(UserContext, carried) + offsetof(PendingWrite, size) == CTX_CARRIED_SIZE0 &&
                  offsetof(UserContext, carried) + sizeof(PendingWrite) + offsetof(PendingWrite, size) ==
                      CTX_CARRIED_SIZE1 &&
                  sizeof(UserContext::carried) == 2 * sizeof(PendingWrite) && sizeof(PendingWrite::size) == 1,
              "carried writes, as entry.S tests and clears them");
static_assert(offsetof(arch::ExceptionCard, owner) == CARD_OWNER &&
                  offsetof(arch::ExceptionCard, home_space) == CARD_HOME_SPACE &&
                  offsetof(arch::ExceptionCard, own_space) == CARD_OWN_SPACE &&
                  offsetof(arch::ExceptionCard, keep_fpu) == CARD_KEEP_FPU,
              "the card's links for entry.S's own forward and resume");
static_assert(offsetof(arch::ExceptionCard, handler) == CARD_HANDLER &&
              offsetof(arch::ExceptionCard, frame) == CARD_FRAME && offsetof(arch::ExceptionCard, thread) == CARD_IDS &&
              offsetof(arch::ExceptionCard, home_root) == CARD_HOME_ROOT);
static_assert(offsetof(arch::ExceptionCard, thread) + 4 == offsetof(arch::ExceptionCard, thread_cookie) &&
                  offsetof(arch::ExceptionCard, thread_cookie) + 4 == offsetof(arch::ExceptionCard, space) &&
                  offsetof(arch::ExceptionCard, space) + 4 == offsetof(arch::ExceptionCard, space_cookie),
              "the identifiers as ck_exception has them");
static_assert(offsetof(ck_exception, thread) == EXC_IDS && offsetof(ck_exception, thread_cookie) == EXC_IDS + 4 &&
              offsetof(ck_exception, space) == EXC_IDS + 8 && offsetof(ck_exception, space_cookie) == EXC_IDS + 12 &&
              offsetof(ck_exception, regs) == EXC_REGS && ABI_CK_EXC_TRAP == CK_EXC_TRAP);
static_assert(ABI_CK_EXC_MAPPING == CK_EXC_MAPPING && ABI_CK_ACCESS_READ == CK_ACCESS_READ &&
              ABI_CK_ACCESS_WRITE == CK_ACCESS_WRITE && ABI_CK_ACCESS_EXECUTE == CK_ACCESS_EXECUTE);
static_assert(offsetof(ck_exception, kind) == 0 && offsetof(ck_exception, vector) == 4 &&
              offsetof(ck_exception, address) == 8 && offsetof(ck_exception, access) == 12);
}  // namespace ck::m68k

extern "C" ck::m68k::ForwardPlan m68k_plan;  // what forward_fast enters
ck::m68k::ForwardPlan m68k_plan;

namespace {

// The entry in the running context, when a hook may take it without the run loop: a
// trap, or a fault that is not the MMU's own business (a translation that exists: a
// first write to record, or a protection fault, which run_user decides).
bool hook_entry(ck::UserEntry* entry) {
  namespace m68k = ck::m68k;
  const m68k::UserContext& c = *m68k_user_context;
  const ck::u16 vector = c.vector();
  if (vector >= m68k::kTrapBase && vector < m68k::kTrapBase + 16) {  // the common case, without decoding
    *entry =
        ck::UserEntry{.kind = ck::EntryKind::Trap, .trap = static_cast<ck::u8>(vector - m68k::kTrapBase), .fault = {}};
    return true;
  }
  *entry = m68k::decode_user_entry(c.frame);
  if (entry->kind == ck::EntryKind::Interrupt) return false;
  m68k::Translation t;
  return entry->kind != ck::EntryKind::Fault || entry->fault.kind != ck::FaultKind::Mapping ||
         !m68k::lookup_current(entry->fault.address, &t);
}

// The forward hook took the exception: the home space, the handler's FPU state and
// m68k_plan for forward_fast.
void plan_forward(const ck::arch::HandlerEntry& e) {
  ck::arch::switch_address_space(e.root);
  ck::arch::switch_fpu(*e.context);
  m68k_call_gate = true;  // the handler runs in its kernel's home space
  m68k_plan =
      ck::m68k::ForwardPlan{.registers = e.registers, .pc = e.pc, .sp = e.sp, .frame = e.frame, .context = e.context};
  ck::arch::masked::end();
}

// A fault m68k_exception decoded for forward_card (m68k_forward_card's kDecodedEntry).
ck::UserEntry g_card_entry;
constexpr ck::u32 kDecodedEntry = 0xffffffff;
// A page fault entry.S's access_error decoded (only its words, into m68k_report): the
// card hook, when it is asked, gets the fault decoded from the frame here.
constexpr ck::u32 kFrameEntry = 0xfffffffe;

}  // namespace

// What the card hook reported, for forward_card's frame.
extern "C" ck::arch::ExceptionWords m68k_report;
ck::arch::ExceptionWords m68k_report;

// From user_entry (entry.S), once the running context holds an entry, interrupts
// masked, on the kernel stack: 0, 1 or 2 as arch::EntryOutcome, 3 when the forward
// hook took it (forward_fast enters the handler), or, when `card` allows, 4 for a
// fault of a context with a card (forward_card tries it, g_card_entry saying what it
// is, and calls here again without `card` if it cannot).
extern "C" ck::u32 m68k_exception(ck::u32 card) {
  using ck::arch::EntryOutcome;
  using ck::arch::g_entry_hook;
  using ck::arch::g_forward_hook;
  ck::UserEntry entry;
  if (g_entry_hook.handle == nullptr || !hook_entry(&entry)) return static_cast<ck::u32>(EntryOutcome::FullEntry);
  // A fault for forward_card begins no masked stretch here: when entry.S changes the
  // state itself it enters the handler without ending one (its own paths are not
  // timed), and m68k_forward_card or the call here again begins it otherwise.
  if (card != 0 && entry.kind == ck::EntryKind::Fault && m68k_user_context->card != nullptr &&
      ck::arch::g_card_hook.handle != nullptr) {
    g_card_entry = entry;
    // What forward_card reports when it changes the state itself (the card hook, when
    // it does, writes the same).
    m68k_report = ck::arch::ExceptionWords{.kind = ck::exception_kind(entry.fault.kind),
                                           .vector = entry.fault.vector,
                                           .address = entry.fault.address.value(),
                                           .access = ck::exception_access(entry.fault)};
    return 4;
  }
  ck::arch::masked::begin(ck::arch::MaskedStretches::kVector + m68k_user_context->vector());
  if (ck::arch::HandlerEntry e;
      g_forward_hook.handle != nullptr && g_forward_hook.handle(g_forward_hook.self, entry, &e)) {
    plan_forward(e);
    return 3;
  }
  return static_cast<ck::u32>(g_entry_hook.handle(g_entry_hook.self, entry));
}

// From forward_card (entry.S) on trap #`number` (or, for kDecodedEntry, the fault
// m68k_exception decoded; for kFrameEntry, the page fault access_error decoded) of a
// context with a card, once entry.S found the handler's
// stack page writable (interrupts masked, on the kernel stack): the card hook's state
// change, then the home space and the handler's FPU state. The handler's context, or
// nullptr when the hooks are to take the entry (nothing changed).
extern "C" ck::m68k::UserContext* m68k_forward_card(const ck::arch::ExceptionCard* card, ck::u32 number) {
  using ck::arch::g_card_hook;
  if (g_card_hook.handle == nullptr) return nullptr;
  ck::arch::masked::begin(ck::arch::MaskedStretches::kVector + m68k_user_context->vector());
  if (number == kFrameEntry) {
    g_card_entry = ck::m68k::decode_user_entry(m68k_user_context->frame);
    number = kDecodedEntry;
  }
  const ck::Fault* fault = number == kDecodedEntry ? &g_card_entry.fault : nullptr;
  ck::m68k::UserContext* handler = g_card_hook.handle(g_card_hook.self, *card, number, fault, &m68k_report);
  if (handler == nullptr) return nullptr;
  ck::arch::switch_address_space(*card->home_root);
  // Its kernel's handler does not use the FPU: the thread's state stays in it.
  if (card->keep_fpu == 0) ck::arch::switch_fpu_inline(*handler);
  m68k_call_gate = true;  // the handler runs in its kernel's home space
  ck::arch::masked::end();
  return handler;
}

// From call_entry on a CK_RESUME with no flags, interrupts masked, on the kernel stack:
// arch::ResumeOutcome.
extern "C" ck::u32 m68k_resume(ck::u32 flags, ck::u32 result) {
  using ck::arch::g_resume_hook;
  if (g_resume_hook.handle == nullptr) return static_cast<ck::u32>(ck::arch::ResumeOutcome::Declined);
  ck::arch::masked::begin_call(CK_RESUME, 0);
  return static_cast<ck::u32>(g_resume_hook.handle(g_resume_hook.self, flags, result));
}

// From call_entry on a CK_LOAD_MAPPING_RESUME or a CK_LOAD_MAPPING, interrupts masked,
// on the kernel stack,
// the call's arguments as call_hook pushes them: an arch::CallOutcome for call_hook's
// dispatch, or LoadResume::Continue / Declined (load_resume). A resumed thread's
// stretch ends here: entry.S's own entry of its context is not timed, nor, when that
// cannot be, the run loop's way to it.
static_assert(ABI_CK_LOAD_MAPPING_RESUME == ABI_CK_RESUME + 1 && ABI_CK_QUERY > ABI_CK_LOAD_MAPPING_RESUME &&
                  CALL_TABLE_OPS > ABI_CK_QUERY,
              "call_entry's call_table");
static_assert(LOAD_RESUME_CONTINUE == ck::arch::LoadResume::Continue &&
                  ck::arch::LoadResume::Declined == LOAD_RESUME_CONTINUE + 1 &&
                  static_cast<ck::u32>(ck::arch::CallOutcome::SwitchTo) < LOAD_RESUME_CONTINUE,
              "load_resume's dispatch: call outcomes below Continue, Declined above");
extern "C" ck::u32 m68k_load_resume(ck::arch::CallArguments* arguments) {
  using ck::arch::g_load_resume_hook;
  namespace masked = ck::arch::masked;
  if (g_load_resume_hook.handle == nullptr) return ck::arch::LoadResume::Declined;
  masked::begin_call(arguments->op, arguments->arg[0]);
  const ck::u32 outcome = g_load_resume_hook.handle(g_load_resume_hook.self, *arguments);
  if (outcome == static_cast<ck::u32>(ck::arch::CallOutcome::Return) || outcome == ck::arch::LoadResume::Continue)
    masked::end();
  return outcome;
}

// From call_entry on a CK_LOAD_MAPPING, interrupts masked, on the kernel stack, the
// call's arguments as call_hook pushes them: 0 answered (the results in the saved D0
// and D1; the stretch ends here), else declined having done nothing (load_resume).
extern "C" ck::u32 m68k_load_plain(ck::arch::CallArguments* arguments) {
  using ck::arch::g_plain_load_hook;
  namespace masked = ck::arch::masked;
  if (g_plain_load_hook.handle == nullptr) return 1;
  masked::begin_call(arguments->op, arguments->arg[0]);
  if (!g_plain_load_hook.handle(g_plain_load_hook.self, *arguments)) return 1;
  masked::end();
  return 0;
}

// From call_entry on a call its table sends to plain_call (CK_LOAD_SPACE,
// CK_LOAD_THREAD, CK_WAKE, CK_SIGNAL, CK_BLOCK, CK_WAIT_SIGNAL, CK_UNLOAD_MAPPING,
// CK_UNLOAD_THREAD), interrupts masked, on the kernel stack, the call's
// arguments as call_hook pushes them: an arch::CallOutcome for call_hook's dispatch (Return: the results in the saved
// D0 and D1, the stretch ends here), or PlainCall::Declined having done nothing (the call hook takes it, the arguments
// as pushed).
static_assert(PLAIN_CALL_DECLINED == ck::arch::PlainCall::Declined &&
                  static_cast<ck::u32>(ck::arch::CallOutcome::SwitchTo) < PLAIN_CALL_DECLINED,
              "plain_call's dispatch");
static_assert(CALL_TABLE_OPS == ck::arch::kPlainCallOps, "the plain-call hook's handlers cover call_entry's table");
extern "C" ck::u32 m68k_plain_call(ck::arch::CallArguments* arguments) {
  using ck::arch::g_plain_call_hook;
  namespace masked = ck::arch::masked;
  // The operation's own handler (call_entry sends only operations of its table here).
  const ck::arch::PlainCallHandler handle =
      g_plain_call_hook.ops != nullptr ? g_plain_call_hook.ops[arguments->op] : g_plain_call_hook.handle;
  if (handle == nullptr) return ck::arch::PlainCall::Declined;
  masked::begin_call(arguments->op, arguments->arg[0]);
  const ck::u32 outcome = handle(g_plain_call_hook.self, *arguments);
  if (outcome == static_cast<ck::u32>(ck::arch::CallOutcome::Return)) masked::end();
  return outcome;
}
