// Calls and exceptions from user threads (calls.h).
#include "calls.h"

#include <utility>

#include "clock.h"
#include "code_sync.h"
#include "user_memory.h"

namespace ck {

namespace {

constexpr u32 kConsoleWriteMax = 256;

}  // namespace

// What the entry path's own forward and resume (arch::FastPathLinks) assume of the
// objects they change: the machine's offsets (arch::kThreadLayout) checked against ours.
// A Thread is its ThreadObject's first (and only) base, so the running thread's address
// is its ThreadObject's, as the card's owner names it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
struct FastPathLayout {
  static constexpr arch::ThreadLayout l = arch::kThreadLayout;
  static_assert(!arch::kAssemblyFastPaths ||
                    (offsetof(ThreadObject, own) == l.own && offsetof(ThreadObject, context) == l.context &&
                     offsetof(ThreadObject, space) == l.space && offsetof(ThreadObject, handler_) == l.handler &&
                     offsetof(ThreadObject, interrupted_) == l.interrupted &&
                     offsetof(ThreadObject, state_) + offsetof(ThreadState, running_) == l.running &&
                     offsetof(ThreadObject, slot_) == l.slot &&
                     offsetof(ThreadObject, exception_frame_) == l.exception_frame),
                "the thread as entry.S changes it (arch/m68k/fast_path_layout.h)");
  static_assert(sizeof(ThreadState::running_) == 1 && sizeof(ThreadObject::slot_) == 4 &&
                sizeof(ThreadObject::exception_frame_) == 4 && sizeof(Thread::context) == sizeof(void*) &&
                sizeof(ThreadObject::interrupted_) == sizeof(void*));
  // Entering the handler adds l.running_handler, leaving subtracts it.
  static_assert(static_cast<u32>(Running::Own) + l.running_handler == static_cast<u32>(Running::Handler) &&
                static_cast<u32>(Running::Signal) + l.running_handler == static_cast<u32>(Running::SignalHandler) &&
                static_cast<u32>(Running::Own) == 0 && static_cast<u32>(Running::Signal) == 1);
  static_assert(!arch::kAssemblyFastPaths ||
                (offsetof(AddressSpace, tables) == l.space_tables && offsetof(AddressSpace, calls) == l.space_calls &&
                 sizeof(AddressSpace::calls) == 1 && sizeof(PhysAddr) == 4));
  static_assert(sizeof(*std::declval<const Messaging&>().queued_counts()) == 4);

  // What load_fast (CK_LOAD_MAPPING's common case in entry.S) reads and changes, as
  // load_mapping_plain does (mapping_objects.cpp).
  using Spaces = ObjectTables::Spaces;
  using Meta = Spaces::Meta;
  static_assert(!arch::kAssemblyFastPaths ||
                    (offsetof(ThreadObject, kernel_) == T_KERNEL && sizeof(ThreadObject::kernel_) == 4 &&
                     offsetof(ThreadObject, home_space_) == T_HOME_SPACE && sizeof(ThreadObject::home_space_) == 4 &&
                     offsetof(SpaceObject, tables) == SO_TABLES && sizeof(Meta) == META_STRIDE &&
                     offsetof(Meta, generation) == META_GEN && offsetof(Meta, loaded) == META_LOADED &&
                     sizeof(SpaceObject) == SO_STRIDE &&
                     offsetof(SpaceObject, tables) + offsetof(AddressSpace, tables) == SO_ROOT &&
                     offsetof(SpaceObject, kernel) == SO_KERNEL && sizeof(PageGroups) == PG_STRIDE &&
                     offsetof(PageGroups, bits_) == 0 && offsetof(PhysMap, records_) == PM_RECORDS &&
                     offsetof(PhysMap, links_) == PM_LINKS && offsetof(PhysMap, buckets_) == PM_BUCKETS &&
                     offsetof(PhysMap, free_) == PM_FREE && offsetof(PhysMap, used_) == PM_USED &&
                     sizeof(Writeback::Ring) == WB_RING_STRIDE && offsetof(Writeback::Ring, base) == WB_BASE &&
                     offsetof(Writeback::Ring, slots) == WB_SLOTS && offsetof(Writeback::Ring, head) == WB_HEAD &&
                     offsetof(Writeback::Ring, overflow) == WB_OVERFLOW && sizeof(Writeback::Ring::overflow) == 1 &&
                     offsetof(ck_ring_header, tail) == RH_TAIL),
                "load_fast's objects (arch/m68k/fast_path_layout.h)");
  static_assert(offsetof(DependencyRecord, link) == DR_LINK && sizeof(DependencyRecord) == 16 &&
                offsetof(GroupLinks, next) == GL_NEXT && offsetof(GroupLinks, prev) == GL_PREV &&
                offsetof(GroupLinks, others) == GL_OTHERS && sizeof(GroupLinks) == 6 &&
                sizeof(MemoryMap::SpaceCounts) == 16 && offsetof(MemoryMap::SpaceCounts, mappings) == SC_MAPPINGS &&
                offsetof(MemoryMap::SpaceCounts, low) == SC_LOW);
  // What it assumes of the values: an identifier is (type << 30) | generation << slot
  // bits | slot, a generation never 0; a page's rights are 2 bits a 512 KiB group; a
  // mapping record's key is its page | its class, writable 2 (a receiver 1, whose page
  // load_mapping takes); its dependent the page | kWritable; no slot is kNoSlot's -1.
  static_assert(ObjectId::kTypeShift == 30 && static_cast<u32>(ObjectType::AddressSpace) == 1 &&
                kGroupBytes == 1u << 19 && static_cast<u32>(Rights::ReadWrite) == 3 &&
                static_cast<u32>(Rights::None) == 0 && mapping_flag::kWritable == 2 &&
                static_cast<u32>(MemoryMap::PageClass::Writable) == 2 &&
                static_cast<u32>(MemoryMap::PageClass::Receiver) == 1 &&
                static_cast<u32>(MemoryMap::PageClass::Plain) == 0 && kNoSlot == 0xffffffff &&
                PhysMap::kNone == 0xffffffff && CK_PAGE_MAPPINGS_MAX == 256 && kSpaceCapacity <= 0x8000 &&
                kMappingCapacity <= 0x10000);
  // Every slot number an identifier's slot bits give is a slot: no range check.
  static_assert(Spaces::kCapacity == 1u << Spaces::kSlotBits, "a power of two of space slots (config.h)");
  // PhysMap::init's bucket bits for the map's buckets (its hash's top bits).
  static constexpr u32 kBucketBits = slot_bits_for(physmap_buckets(kMappingCapacity));
  static arch::PlainLoadLinks plain_load_links(ObjectCaches& c) {
    return arch::PlainLoadLinks{.space_meta = &c.tables_.spaces_.meta_[0],
                                .spaces = &c.tables_.spaces_.items_[0],
                                .space_slot_mask = (1u << Spaces::kSlotBits) - 1,
                                .space_slot_bits = Spaces::kSlotBits,
                                .rights = &c.resources_.rights_[0],
                                .physmap = &c.map_.physmap_,
                                .tagged = &c.map_.tagged_,
                                .space_counts = &c.map_.spaces_[0],
                                .writeback_first = &c.writeback_.first_,
                                .writeback_rings = &c.writeback_.rings_[0],
                                .hash_shift = 32 - kBucketBits};
  }
};
#pragma GCC diagnostic pop

namespace {
ExceptionReport trap_report(u8 number) {
  return ExceptionReport{.kind = CK_EXC_TRAP, .vector = number, .address = VirtAddr(0), .access = 0};
}
}  // namespace

ExceptionReport exception_report(const Fault& f) {
  return ExceptionReport{
      .kind = exception_kind(f.kind), .vector = f.vector, .address = f.address, .access = exception_access(f)};
}

CacheKernel::CacheKernel(ObjectCaches& caches) : caches_(caches) {
  arch::set_call_hook(arch::CallHook{
      .handle = [](void* self, arch::CallArguments& a) { return static_cast<CacheKernel*>(self)->fast_call(a); },
      .self = this});
  arch::set_entry_hook(arch::EntryHook{
      .handle = [](void* self, const UserEntry& e) { return static_cast<CacheKernel*>(self)->fast_entry(e); },
      .self = this});
  arch::set_forward_hook(arch::ForwardHook{
      .handle = [](void* self, const UserEntry& e,
                   arch::HandlerEntry* out) { return static_cast<CacheKernel*>(self)->forward_directly(e, out); },
      .self = this});
  arch::set_resume_hook(arch::ResumeHook{
      .handle = [](void* self, u32 flags,
                   u32 result) { return static_cast<CacheKernel*>(self)->resume_directly(flags, result); },
      .self = this});
  arch::set_card_hook(arch::CardHook{
      .handle =
          [](void* self, const arch::ExceptionCard& card, u32 trap, const Fault* fault, arch::ExceptionWords* report) {
            return static_cast<CacheKernel*>(self)->forward_from_card(card, trap, fault, report);
          },
      .self = this});
  arch::set_load_resume_hook(arch::LoadResumeHook{
      .handle = [](void* self,
                   arch::CallArguments& a) { return static_cast<CacheKernel*>(self)->load_resume_directly(a); },
      .self = this});
  arch::set_plain_load_hook(arch::PlainLoadHook{
      .handle = [](void* self, arch::CallArguments& a) { return static_cast<CacheKernel*>(self)->load_plain(a); },
      .self = this});
  arch::set_plain_call_hook(arch::PlainCallHook{
      .handle = [](void* self, arch::CallArguments& a) { return static_cast<CacheKernel*>(self)->plain_call(a); },
      .self = this,
      .ops = plain_call_handlers()});
  // What the hooks' common cases read and change beside the thread (forward_from_card,
  // resume_directly): the entry path does those itself.
  arch::set_fast_path_links(
      arch::FastPathLinks{.enabled = true,
                          .running = reinterpret_cast<void* const*>(running_thread_slot()),
                          .current = reinterpret_cast<void**>(caches_.current_slot()),
                          .front = reinterpret_cast<void* const*>(caches_.run_queue().front_slot()),
                          .signals_queued = caches_.messaging().queued_counts(),
                          .signals_stride = Messaging::queued_stride()});
  arch::set_plain_load_links(FastPathLayout::plain_load_links(caches_));
}

CacheKernel::~CacheKernel() {
  arch::set_call_hook(arch::CallHook{.handle = nullptr, .self = nullptr});
  arch::set_entry_hook(arch::EntryHook{.handle = nullptr, .self = nullptr});
  arch::set_forward_hook(arch::ForwardHook{.handle = nullptr, .self = nullptr});
  arch::set_resume_hook(arch::ResumeHook{.handle = nullptr, .self = nullptr});
  arch::set_card_hook(arch::CardHook{.handle = nullptr, .self = nullptr});
  arch::set_fast_path_links(arch::FastPathLinks{});
  arch::set_plain_load_links(arch::PlainLoadLinks{});
  arch::set_load_resume_hook(arch::LoadResumeHook{.handle = nullptr, .self = nullptr});
  arch::set_plain_load_hook(arch::PlainLoadHook{.handle = nullptr, .self = nullptr});
  arch::set_plain_call_hook(arch::PlainCallHook{.handle = nullptr, .self = nullptr});
}

Disposition CacheKernel::after(ThreadObject& t) const {
  // Unloaded (by its own call, or because its exception had nowhere to go) or halted.
  return caches_.tables().alive(t) && t.state().ready() ? Disposition::Resume : Disposition::Remove;
}

// A thread runs only in spaces of its kernel, so in a home space it runs in its own
// kernel's home (the invariant walk checks both). entry.S reads the same flag.
bool CacheKernel::is_call(const ThreadObject& t, u8 trap_number) const { return trap_number == 0 && t.space->calls; }

bool CacheKernel::go_on(ThreadObject& t) const { return after(t) == Disposition::Resume && enter_now(t); }

// The running thread is the first in line, and forwarding or resuming changes no one's
// place: checked all the same, since it is cheap.
bool CacheKernel::enter_now(ThreadObject& t) const {
  return caches_.run_queue().front() == &t && arch::continue_in(*t.context, t.space->tables, t.space->calls);
}

arch::EntryOutcome CacheKernel::fast_entry(const UserEntry& entry) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || (entry.kind != EntryKind::Trap && entry.kind != EntryKind::Fault))
    return arch::EntryOutcome::FullEntry;
  if (entry.kind == EntryKind::Trap && is_call(*t, entry.trap)) {  // a call that needed the whole context
    trap(*t, entry.trap);
    return go_on(*t) ? arch::EntryOutcome::Enter : arch::EntryOutcome::Done;
  }
  caches_.set_current(t);
  if (!forward(*t, entry.kind == EntryKind::Trap ? trap_report(entry.trap) : exception_report(entry.fault)))
    return arch::EntryOutcome::Done;
  // In its handler now; ready, since it was running.
  return enter_now(*t) ? arch::EntryOutcome::Enter : arch::EntryOutcome::Done;
}

bool CacheKernel::forward_directly(const UserEntry& entry, arch::HandlerEntry* out) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || caches_.run_queue().front() != t) return false;
  ExceptionReport report;
  if (entry.kind == EntryKind::Trap) {
    if (is_call(*t, entry.trap)) return false;
    report = trap_report(entry.trap);
  } else if (entry.kind == EntryKind::Fault) {
    report = exception_report(entry.fault);
  } else {
    return false;
  }
  if (!caches_.forward_directly(*t, report, out)) return false;
  caches_.set_current(t);
  counters_.forwarded += 1;
  return true;
}

// The entry path forwards the running thread's trap or fault from its card: the checks
// forward_directly makes, then the state change; the frame is the entry path's.
arch::UserContext* CacheKernel::forward_from_card(const arch::ExceptionCard& card, u32 trap, const Fault* fault,
                                                  arch::ExceptionWords* words) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t != card.owner || caches_.run_queue().front() != t) return nullptr;
  ExceptionReport report;
  if (fault != nullptr) {
    report = exception_report(*fault);
  } else {
    if (trap > 15 || is_call(*t, static_cast<u8>(trap))) return nullptr;
    report = trap_report(static_cast<u8>(trap));
  }
  arch::UserContext* handler = caches_.enter_from_card(*t);
  if (handler == nullptr) return nullptr;
  *words = arch::ExceptionWords{
      .kind = report.kind, .vector = report.vector, .address = report.address.value(), .access = report.access};
  caches_.set_current(t);
  counters_.forwarded += 1;
  return handler;
}

Disposition CacheKernel::trap(Thread& thread, u8 number) {
  ThreadObject& t = static_cast<ThreadObject&>(thread);
  caches_.set_current(&t);
  if (is_call(t, number)) {
    call(t);
  } else {
    forward(t, trap_report(number));
  }
  return after(t);
}

Disposition CacheKernel::fault(Thread& thread, const Fault& fault) {
  ThreadObject& t = static_cast<ThreadObject&>(thread);
  caches_.set_current(&t);
  forward(t, exception_report(fault));
  return after(t);
}

bool CacheKernel::forward(ThreadObject& t, const ExceptionReport& report) {
  counters_.forwarded += 1;
  if (caches_.forward(t, report)) return true;
  counters_.failed_exceptions += 1;
  return false;
}

Disposition CacheKernel::call_finished(Thread& thread) { return after(static_cast<ThreadObject&>(thread)); }

void CacheKernel::ran(Thread& thread, u32 ns, bool switched) {
  ThreadObject& t = static_cast<ThreadObject&>(thread);
  // A thread unloaded by its own call is gone; its time stays uncharged.
  if (!caches_.tables().alive(t)) return;
  // A switch's time is settled at the next tick: the switch pays two adds, not the totals.
  if (switched)
    caches_.charge_switch(t, ns);
  else
    caches_.charge(t, ns, false);
}

bool CacheKernel::tick(u64 ticks) {
  const u64 now = arch::clock_ns();
  caches_.tick(ticks, now);
  if (devices_ != nullptr) {
    devices_->tick(ticks, now);
    devices_->input(arch::console_poll);  // also what came before anyone was told
    devices_->disk_ended();               // a lost interrupt costs a tick, not the request
  }
  return true;
}

// With devices, any loaded thread may be woken by one (input, the clock): wait.
bool CacheKernel::idle() {
  return caches_.has_timed_blocks() || (devices_ != nullptr && caches_.loaded(CK_OBJECT_THREAD) != 0);
}

void CacheKernel::input() {
  if (devices_ != nullptr) devices_->input(arch::console_poll);
}

void CacheKernel::disk() {
  if (devices_ != nullptr) devices_->disk_ended();
}

// Whose ring a CK_E_RETRY waits for: the caller's own (drain it) or the first kernel's.
// Out of line: off the path of every call.
u32 CacheKernel::retry_blocker() const { return caches_.retry_blocker(); }

inline bool CacheKernel::perform(ThreadObject& t, const arch::CallArguments& a, ck_status* status, u32* value,
                                 bool* resumed) {
  counters_.calls += 1;
  *resumed = false;
  *status = dispatch(t, a, value, resumed);
  if (*status == CK_E_RETRY) [[unlikely]]
    *value = retry_blocker();
  return !*resumed && after(t) == Disposition::Resume;
}

void CacheKernel::call(ThreadObject& t) {
  arch::UserContext& caller = *t.context;
  ck_status status;
  u32 value = 0;
  bool resumed = false;
  if (perform(t, arch::call_arguments(caller), &status, &value, &resumed)) arch::set_call_result(caller, status, value);
}

// The handler's CK_RESUME (the path of every forwarded trap), plain or with a result:
// back to what it interrupted, entered straight from here. A call that would fail is
// the call hook's, which answers it.
arch::ResumeOutcome CacheKernel::resume_directly(u32 flags, u32 result) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0) || !t->state().in_exception()) return arch::ResumeOutcome::Declined;
  if (flags != 0 && flags != CK_RESUME_RESULT) return arch::ResumeOutcome::Declined;
  caches_.set_current(t);
  counters_.calls += 1;
  if (flags == CK_RESUME_RESULT) arch::set_return_value(t->interrupted(), result);
  caches_.resume_plain(*t);  // in an exception, flags checked: nothing to refuse
  return enter_now(*t) ? arch::ResumeOutcome::Enter : arch::ResumeOutcome::Switched;
}

bool CacheKernel::needs_context(const ThreadObject& t, const arch::CallArguments& a) {
  switch (a.op) {
    case CK_UNLOAD_THREAD:
      return a.arg[0] == t.id;
    case CK_RESUME:  // giving up unloads the caller
      return (a.arg[0] & CK_RESUME_UNHANDLED) != 0;
    case CK_UNLOAD_SPACE:  // may hold the caller
    case CK_UNLOAD_KERNEL:
      return true;
    default:
      return false;
  }
}

inline arch::CallOutcome CacheKernel::answer_fast(ThreadObject& t, arch::CallArguments& a, ck_status status, u32 value,
                                                  u32 queue_version, bool answered_now) {
  if (!answered_now) {
    // It now runs another context, or is gone; or it blocked itself (CK_BLOCK,
    // CK_WAIT_SIGNAL): its registers after the call are saved as they are, to be
    // answered when it is woken.
    if (!caches_.tables().alive(t) || !t.state().blocked()) return arch::CallOutcome::Switched;
    a.set_result(status, value);
    return hand_over(t);
  }
  a.set_result(status, value);
  // The call made a thread of higher priority ready (or lowered the caller's).
  const bool preempted = caches_.run_queue().version() != queue_version && caches_.run_queue().front() != &t;
  return preempted ? hand_over(t) : arch::CallOutcome::Return;
}

arch::CallOutcome CacheKernel::fast_call(arch::CallArguments& a) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0) || needs_context(*t, a)) return arch::CallOutcome::FullEntry;
  caches_.set_current(t);
  const u32 queue_version = caches_.run_queue().version();
  ck_status status;
  u32 value = 0;
  bool resumed = false;
  const bool answered_now = perform(*t, a, &status, &value, &resumed);
  if (!answered_now && resumed) return go_on(*t) ? arch::CallOutcome::Enter : arch::CallOutcome::Switched;
  return answer_fast(*t, a, status, value, queue_version, answered_now);
}

// CK_LOAD_MAPPING (every application kernel's mapping load) through the same hook:
// fast_call for this one call (its checks, count, results and outcomes; the call never
// needs the caller's whole context), without its operation switches.
inline arch::CallOutcome CacheKernel::load_directly(arch::CallArguments& a) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0)) return arch::CallOutcome::FullEntry;
  caches_.set_current(t);
  const u32 queue_version = caches_.run_queue().version();
  counters_.calls += 1;
  const ck_status status = caches_.load_mapping(t->kernel(), ObjectId(a.arg[0]), VirtAddr(a.arg[1]), PhysAddr(a.arg[2]),
                                                a.arg[3], ObjectId(a.pointer));
  const u32 value = status == CK_E_RETRY ? retry_blocker() : 0;
  return answer_fast(*t, a, status, value, queue_version, after(*t) == Disposition::Resume);
}

// CK_LOAD_MAPPING's common case straight from the call entry (arch::PlainLoadHook),
// counted and answered as load_directly does it. A plain load takes no victim and writes
// nothing back, so it readies, blocks and unloads no thread and leaves the run queue as
// it was: the caller, still running and first in line, goes on (answer_fast's Return).
bool CacheKernel::load_plain(arch::CallArguments& a) {
  // The test of what the plain path declines inline: a load with a victim pays it alone.
  if (caches_.plain_load_declined(a.arg[3], ObjectId(a.pointer))) return false;
  return load_plain_checked(a);
}

[[gnu::flatten, gnu::noinline]] bool CacheKernel::load_plain_checked(arch::CallArguments& a) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0)) return false;
  caches_.set_current(t);
  const ck_status status = caches_.load_mapping_plain(t->kernel(), ObjectId(a.arg[0]), VirtAddr(a.arg[1]),
                                                      PhysAddr(a.arg[2]), a.arg[3], ObjectId(a.pointer));
  counters_.calls += 1;
  a.set_result(status, status == CK_E_RETRY ? retry_blocker() : 0);
  return true;
}

// CK_WAKE, CK_SIGNAL, CK_BLOCK, CK_WAIT_SIGNAL, CK_UNLOAD_MAPPING and CK_UNLOAD_THREAD
// of another thread (`call`, as dispatch makes it) done as fast_call does them (its
// checks, count, results and outcome: a thread readied above the caller, or the caller
// blocked, hands over), without its operation switches: none of them needs the
// caller's whole context.
template <typename Call>
inline u32 CacheKernel::call_plain(arch::CallArguments& a, Call&& call) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0)) return arch::PlainCall::Declined;
  caches_.set_current(t);
  const u32 queue_version = caches_.run_queue().version();
  counters_.calls += 1;
  u32 value = 0;
  const ck_status status = call(*t, &value);
  if (status == CK_E_RETRY) [[unlikely]]
    value = retry_blocker();
  return static_cast<u32>(answer_fast(*t, a, status, value, queue_version, after(*t) == Disposition::Resume));
}

// The calls call_entry sends to the plain-call hook (its table: CK_LOAD_SPACE,
// CK_LOAD_THREAD, CK_WAKE, CK_SIGNAL, CK_BLOCK, CK_WAIT_SIGNAL, CK_UNLOAD_MAPPING,
// CK_UNLOAD_THREAD), each done as fast_call
// does it (its checks, count, results and outcome), the loads when a slot is free; else
// declined having done nothing (the call hook takes it). A load that needs a victim is
// declined before the paths' prologues (it pays this test and the hook call alone).
u32 CacheKernel::plain_call(arch::CallArguments& a) {
  const arch::PlainCallHandler handle = a.op < arch::kPlainCallOps ? plain_call_handlers()[a.op] : nullptr;
  return handle != nullptr ? handle(this, a) : arch::PlainCall::Declined;
}

// One handler per operation, so that the 68040's entry calls the operation's own (no
// switch on the operation between the hook and the call).
const arch::PlainCallHandler* CacheKernel::plain_call_handlers() {
  struct Handlers {
    arch::PlainCallHandler op[arch::kPlainCallOps];
  };
  static_assert(CK_LOAD_SPACE < arch::kPlainCallOps && CK_LOAD_THREAD < arch::kPlainCallOps &&
                    CK_WAKE < arch::kPlainCallOps && CK_SIGNAL < arch::kPlainCallOps &&
                    CK_BLOCK < arch::kPlainCallOps && CK_WAIT_SIGNAL < arch::kPlainCallOps &&
                    CK_UNLOAD_MAPPING < arch::kPlainCallOps && CK_UNLOAD_THREAD < arch::kPlainCallOps,
                "every plain call has its place");
  static constexpr Handlers kHandlers = [] {
    Handlers h{};
    h.op[CK_LOAD_THREAD] = [](void* self, arch::CallArguments& a) {
      CacheKernel& k = *static_cast<CacheKernel*>(self);
      return k.caches_.tables().has_free_thread() ? k.load_thread_plain(a) : arch::PlainCall::Declined;
    };
    h.op[CK_LOAD_SPACE] = [](void* self, arch::CallArguments& a) {
      CacheKernel& k = *static_cast<CacheKernel*>(self);
      return k.caches_.tables().has_free_space() ? k.load_space_plain(a) : arch::PlainCall::Declined;
    };
    h.op[CK_WAKE] = [](void* self, arch::CallArguments& a) { return static_cast<CacheKernel*>(self)->wake_plain(a); };
    h.op[CK_SIGNAL] = [](void* self, arch::CallArguments& a) {
      return static_cast<CacheKernel*>(self)->signal_plain(a);
    };
    h.op[CK_BLOCK] = [](void* self, arch::CallArguments& a) { return static_cast<CacheKernel*>(self)->block_plain(a); };
    h.op[CK_WAIT_SIGNAL] = [](void* self, arch::CallArguments& a) {
      return static_cast<CacheKernel*>(self)->wait_signal_plain(a);
    };
    h.op[CK_UNLOAD_MAPPING] = [](void* self, arch::CallArguments& a) {
      return static_cast<CacheKernel*>(self)->unload_mapping_plain(a);
    };
    h.op[CK_UNLOAD_THREAD] = [](void* self, arch::CallArguments& a) {
      return static_cast<CacheKernel*>(self)->unload_thread_plain(a);
    };
    return h;
  }();
  return kHandlers.op;
}

// Each compiled flat (its call's whole path inlined), out of line: plain_call stays a
// switch that jumps to them.
[[gnu::flatten, gnu::noinline]] u32 CacheKernel::wake_plain(arch::CallArguments& a) {
  return call_plain(a, [&](ThreadObject& t, u32*) { return caches_.wake_thread(t.kernel(), ObjectId(a.arg[0])); });
}

[[gnu::flatten, gnu::noinline]] u32 CacheKernel::signal_plain(arch::CallArguments& a) {
  return call_plain(a, [&](ThreadObject& t, u32* value) { return caches_.signal(t, VirtAddr(a.arg[0]), value); });
}

[[gnu::flatten, gnu::noinline]] u32 CacheKernel::block_plain(arch::CallArguments& a) {
  return call_plain(a, [&](ThreadObject& t, u32* value) {
    return caches_.block_thread(t.kernel(), ObjectId(a.arg[0]), a.arg[1], t, value);
  });
}

[[gnu::flatten, gnu::noinline]] u32 CacheKernel::wait_signal_plain(arch::CallArguments& a) {
  return call_plain(a, [&](ThreadObject& t, u32* value) { return caches_.wait_signal(t, value); });
}

[[gnu::flatten, gnu::noinline]] u32 CacheKernel::unload_mapping_plain(arch::CallArguments& a) {
  return call_plain(a, [&](ThreadObject& t, u32*) {
    return caches_.unload_mapping(t.kernel(), ObjectId(a.arg[0]), VirtAddr(a.arg[1]));
  });
}

// Of the caller itself: the call hook's (needs_context), which saves its whole context.
[[gnu::flatten, gnu::noinline]] u32 CacheKernel::unload_thread_plain(arch::CallArguments& a) {
  const Thread* running = running_thread();
  if (running == nullptr || a.arg[0] == running->id) return arch::PlainCall::Declined;
  return call_plain(a, [&](ThreadObject& t, u32*) { return caches_.unload_thread(t.kernel(), ObjectId(a.arg[0])); });
}

// CK_LOAD_SPACE with a space slot free (plain_call tested it): no victim, so nothing is
// written back and no thread is unloaded, readied or blocked; the caller, still running
// and first in line, goes on (answer_fast's Return).
[[gnu::flatten, gnu::noinline]] u32 CacheKernel::load_space_plain(arch::CallArguments& a) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0)) return arch::PlainCall::Declined;
  caches_.set_current(t);
  counters_.calls += 1;
  ObjectId id;
  const ck_status status = caches_.load_free_space(t->kernel(), ObjectId(a.arg[0]), a.arg[1], a.arg[2], &id);
  a.set_result(status, status == CK_E_RETRY ? retry_blocker() : id.raw());
  return static_cast<u32>(arch::CallOutcome::Return);
}

// CK_LOAD_THREAD with a thread slot free (plain_call tested it): no victim, so nothing is
// written back and no thread is unloaded or blocked; the new thread is readied, and
// takes over when it is first in line (answer_fast). Its state is read where it lies (user_view, as dispatch
// does with a slot free), else copied.
[[gnu::flatten, gnu::noinline]] u32 CacheKernel::load_thread_plain(arch::CallArguments& a) {
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0)) return arch::PlainCall::Declined;
  caches_.set_current(t);
  const u32 queue_version = caches_.run_queue().version();
  counters_.calls += 1;
  const PhysAddr space = t->space->tables;
  ck_thread_state copy;
  const ck_thread_state* state =
      static_cast<const ck_thread_state*>(user_view(space, VirtAddr(a.pointer), sizeof copy));
  if (state == nullptr && copy_from_user(space, VirtAddr(a.pointer), &copy, sizeof copy)) state = &copy;
  ObjectId id;
  const ck_status status =
      state == nullptr ? CK_E_POINTER
                       : caches_.load_free_thread(t->kernel(), ObjectId(a.arg[0]), a.arg[1], a.arg[2], *state, &id);
  const u32 value = status == CK_E_RETRY ? retry_blocker() : id.raw();
  return static_cast<u32>(answer_fast(*t, a, status, value, queue_version, after(*t) == Disposition::Resume));
}

// The caller blocked itself or gave way: the thread first in line now runs straight
// from the call (paper §2.3: a signal or wake-up hands the processor over at once) when
// its context can be entered; otherwise the run loop decides. Either way the caller's
// registers, with the call's results, are saved as they are.
arch::CallOutcome CacheKernel::hand_over(ThreadObject& from) {
  Thread* next = caches_.run_queue().front();
  if (next == nullptr || next == &from) return arch::CallOutcome::Preempt;
  if (!arch::continue_in(*next->context, next->space->tables, next->space->calls) || !run_directly(*next))
    return arch::CallOutcome::Preempt;
  return arch::CallOutcome::SwitchTo;
}

inline ck_status CacheKernel::load_mapping_resume(ThreadObject& t, const arch::CallArguments& a) {
  // The faulting thread's own space; the handler runs in its kernel's.
  if (!t.state().in_exception()) return CK_E_NOT_IN_EXCEPTION;
  const ObjectId target = caches_.spaces().id_of(t.home_space());
  // The write that faulted for this page is retried next: the page goes in modified.
  const bool written = arch::stopped_writing(t.interrupted(), VirtAddr(a.arg[1]));
  // A fault's common load (no victim, lock or message page) on CK_LOAD_MAPPING's plain
  // path: the same checks and answers without load_mapping's other cases (about 100).
  const ck_status s = caches_.plain_load_declined(a.arg[3], ObjectId(a.pointer))
                          ? caches_.load_mapping(t.kernel(), target, VirtAddr(a.arg[1]), PhysAddr(a.arg[2]), a.arg[3],
                                                 ObjectId(a.pointer), written)
                          : caches_.load_mapping_plain(t.kernel(), target, VirtAddr(a.arg[1]), PhysAddr(a.arg[2]),
                                                       a.arg[3], ObjectId(a.pointer), written);
  if (s != CK_OK) return s;
  caches_.resume_plain(t);  // in an exception, no flags: nothing to refuse
  return CK_OK;
}

// CK_LOAD_MAPPING_RESUME as fast_call does it (counted, the retry's blocker, a thread
// of higher priority readied on the way taking over), without its dispatch; once loaded
// and resumed, the entry path enters the thread's context itself when it can. Compiled
// flat (load_mapping's whole way inlined, victims and writeback included): a load with a
// victim 212 less, a plain read fault's resume 2 more (a heavier prologue).
[[gnu::flatten]] u32 CacheKernel::load_resume_directly(arch::CallArguments& a) {
  if (a.op == CK_LOAD_MAPPING) return static_cast<u32>(load_directly(a));
  ThreadObject* t = static_cast<ThreadObject*>(running_thread());
  if (t == nullptr || !is_call(*t, 0)) return arch::LoadResume::Declined;
  caches_.set_current(t);
  const u32 queue_version = caches_.run_queue().version();
  counters_.calls += 1;
  const ck_status status = load_mapping_resume(*t, a);
  if (status == CK_OK) {
    const bool on = after(*t) == Disposition::Resume && caches_.run_queue().front() == t;
    return on ? arch::LoadResume::Continue : static_cast<u32>(arch::CallOutcome::Switched);
  }
  if (after(*t) != Disposition::Resume) return static_cast<u32>(arch::CallOutcome::Switched);
  a.set_result(status, status == CK_E_RETRY ? retry_blocker() : 0);
  const bool preempted = caches_.run_queue().version() != queue_version && caches_.run_queue().front() != t;
  return static_cast<u32>(preempted ? hand_over(*t) : arch::CallOutcome::Return);
}

inline ck_status CacheKernel::dispatch(ThreadObject& t, const arch::CallArguments& a, u32* value, bool* resumed) {
  const u32 caller = t.kernel();
  const PhysAddr space = t.space->tables;
  ObjectId id;
  ck_status s = CK_OK;
  switch (a.op) {
    case CK_NULL:
      return CK_OK;
    case CK_LOAD_KERNEL: {
      ck_kernel_desc desc;
      if (!copy_from_user(space, VirtAddr(a.pointer), &desc, sizeof desc)) return CK_E_POINTER;
      s = caches_.load_kernel(caller, desc, &id);
      *value = id.raw();
      return s;
    }
    case CK_UNLOAD_KERNEL:
      return caches_.unload_kernel(caller, ObjectId(a.arg[0]));
    case CK_LOAD_SPACE:
      s = caches_.load_space(caller, ObjectId(a.arg[0]), a.arg[1], a.arg[2], &id);
      *value = id.raw();
      return s;
    case CK_UNLOAD_SPACE:
      return caches_.unload_space(caller, ObjectId(a.arg[0]));
    case CK_LOAD_THREAD: {
      // The 212-byte state read where it lies (no copy, about 65 instructions of
      // memcpy) when a slot is free: then the load writes no user memory before it is
      // done reading it. A victim's writeback goes into the caller's ring, which may
      // hold the state itself, so with none free it is copied first (checks, then
      // commit, on the same bytes).
      ck_thread_state copy;
      const ck_thread_state* state = nullptr;
      if (caches_.tables().has_free_thread())
        state = static_cast<const ck_thread_state*>(user_view(space, VirtAddr(a.pointer), sizeof copy));
      if (state == nullptr) {
        if (!copy_from_user(space, VirtAddr(a.pointer), &copy, sizeof copy)) return CK_E_POINTER;
        state = &copy;
      }
      s = caches_.load_thread(caller, ObjectId(a.arg[0]), a.arg[1], a.arg[2], *state, &id);
      *value = id.raw();
      return s;
    }
    case CK_UNLOAD_THREAD:
      return caches_.unload_thread(caller, ObjectId(a.arg[0]));
    case CK_LOAD_MAPPING:
      return caches_.load_mapping(caller, ObjectId(a.arg[0]), VirtAddr(a.arg[1]), PhysAddr(a.arg[2]), a.arg[3],
                                  ObjectId(a.pointer));
    case CK_UNLOAD_MAPPING:
      return caches_.unload_mapping(caller, ObjectId(a.arg[0]), VirtAddr(a.arg[1]));
    case CK_UNLOAD_PAGE:
      return caches_.unload_page(caller, PhysAddr(a.arg[0]));
    case CK_SET_MEMORY_ACCESS:
      return caches_.set_memory_access(caller, ObjectId(a.arg[0]), PhysAddr(a.arg[1]), a.arg[2], a.arg[3]);
    case CK_SET_CPU:
      return caches_.set_cpu(caller, ObjectId(a.arg[0]), a.arg[1], a.arg[2]);
    case CK_SET_LOCK_QUOTA:
      return caches_.set_lock_quota(caller, ObjectId(a.arg[0]), a.arg[1], a.arg[2]);
    case CK_SET_PRIORITY:
      return caches_.set_priority(caller, ObjectId(a.arg[0]), a.arg[1]);
    case CK_SET_THREAD_VALUE:
      return caches_.set_thread_value(caller, ObjectId(a.arg[0]), a.arg[1], a.arg[2], t);
    case CK_RESUME:
      s = caches_.resume(t, a.arg[0], VirtAddr(a.pointer), a.arg[1]);
      *resumed = s == CK_OK;
      // Behind the others of its level: the thread first in line now runs (go_on).
      if (s == CK_OK && (a.arg[0] & CK_RESUME_YIELD) != 0) caches_.run_queue().rotate(t);
      return s;
    case CK_LOAD_MAPPING_RESUME:
      s = load_mapping_resume(t, a);
      *resumed = s == CK_OK;
      return s;
    case CK_CONSOLE_WRITE: {
      char text[kConsoleWriteMax];
      if (a.arg[0] > kConsoleWriteMax) return CK_E_ARGUMENT;
      if (!copy_from_user(space, VirtAddr(a.pointer), text, a.arg[0])) return CK_E_POINTER;
      arch::console().write(StrView(text, a.arg[0]));
      return CK_OK;
    }
    case CK_QUERY:
      return query(t, a.arg[0], a.arg[1], value);
    case CK_BLOCK:
      return caches_.block_thread(caller, ObjectId(a.arg[0]), a.arg[1], t, value);
    case CK_WAKE:
      return caches_.wake_thread(caller, ObjectId(a.arg[0]));
    case CK_SIGNAL:
      return caches_.signal(t, VirtAddr(a.arg[0]), value);
    case CK_SIGNAL_RETURN:
      s = caches_.signal_return(t);
      *resumed = s == CK_OK;
      return s;
    case CK_WAIT_SIGNAL:
      return caches_.wait_signal(t, value);
    case CK_SYNC_CODE:
      return sync_code(space, VirtAddr(a.arg[0]), a.arg[1]);
    case CK_THREAD_STATS: {
      ck_thread_stats stats;
      if (s = caches_.thread_stats(caller, ObjectId(a.arg[0]), t, &stats); s != CK_OK) return s;
      // The running thread's figure includes its time since it was last charged.
      if (stats.state == CK_THREAD_RUNNING) stats.run_ns += uncharged_ns();
      return copy_to_user(space, VirtAddr(a.pointer), &stats, sizeof stats) ? CK_OK : CK_E_POINTER;
    }
    case CK_EXCEPTION_FPU: {
      ck_fpu_registers fpu;
      if (a.arg[0] == CK_EXCEPTION_FPU_SET) {
        // Read first: a pointer it cannot read changes nothing.
        if (!t.state().in_exception()) return CK_E_NOT_IN_EXCEPTION;
        if (!copy_from_user(space, VirtAddr(a.pointer), &fpu, sizeof fpu)) return CK_E_POINTER;
        return caches_.set_exception_fpu(t, fpu);
      }
      if (a.arg[0] != 0) return CK_E_ARGUMENT;
      if (s = caches_.exception_fpu(t, &fpu); s != CK_OK) return s;
      return copy_to_user(space, VirtAddr(a.pointer), &fpu, sizeof fpu) ? CK_OK : CK_E_POINTER;
    }
    case CK_KERNEL_STATS: {
      ck_kernel_stats stats;
      if (s = caches_.kernel_stats(caller, ObjectId(a.arg[0]), caller, &stats); s != CK_OK) return s;
      return copy_to_user(space, VirtAddr(a.pointer), &stats, sizeof stats) ? CK_OK : CK_E_POINTER;
    }
    default:
      return CK_E_OPERATION;
  }
}

ck_status CacheKernel::query(ThreadObject& t, u32 what, u32 argument, u32* value) {
  switch (what) {
    case CK_QUERY_SELF_THREAD:
      *value = t.id;
      return CK_OK;
    case CK_QUERY_SELF_KERNEL:
      *value = caches_.kernels().id_of(t.kernel()).raw();
      return CK_OK;
    case CK_QUERY_DIGEST:
      // A walk of every cache with interrupts masked: the first kernel's alone.
      if (t.kernel() != caches_.first_kernel()) return CK_E_NOT_SRM;
      if (!caches_.consistent(&arch::console())) return CK_E_BUSY;
      *value = caches_.digest();
      return CK_OK;
    case CK_QUERY_LOADED:
      if (argument >= kObjectTypes) return CK_E_ARGUMENT;
      *value = caches_.loaded(static_cast<ck_object_type>(argument));
      return CK_OK;
    case CK_QUERY_TIME:
      *value = static_cast<u32>(arch::clock_ns());
      return CK_OK;
    case CK_QUERY_BOOT_SECONDS:
      *value = static_cast<u32>(arch::clock_epoch_ns() / 1000000000u);
      return CK_OK;
    case CK_QUERY_TICK_NS:
      *value = 1000000000u / clock::rate_hz();
      return CK_OK;
    case CK_QUERY_STACK_HIGH_WATER: {
      // How close the kernel came to its stack's end: the first kernel's to watch.
      if (t.kernel() != caches_.first_kernel()) return CK_E_NOT_SRM;
      *value = arch::kernel_stack_usage().high_water;
      return CK_OK;
    }
    default:
      return CK_E_ARGUMENT;
  }
}

}  // namespace ck
