// The Cache Kernel as the run loop sees it (paper §2.1, §2.3): a trap #0 from a thread
// in its kernel's home space is a call (ck/abi.h), decoded here into the
// object-cache operations; every other trap and every fault is forwarded to the
// thread's kernel.
#pragma once

#include "devices.h"
#include "object_caches.h"
#include "run_loop.h"

namespace ck {

class CacheKernel final : public ThreadEvents {
 public:
  // Installs the call and exception fast paths (arch::set_call_hook, set_entry_hook,
  // set_forward_hook, set_resume_hook) for as long as it exists.
  explicit CacheKernel(ObjectCaches& caches);
  ~CacheKernel();
  CacheKernel(const CacheKernel&) = delete;
  CacheKernel& operator=(const CacheKernel&) = delete;

  Disposition trap(Thread& thread, u8 number) override;
  Disposition fault(Thread& thread, const Fault& fault) override;
  Disposition call_finished(Thread& thread) override;
  void ran(Thread& thread, u32 ns, bool switched) override;
  bool tick(u64 ticks) override;
  bool idle() override;
  void input() override;
  void disk() override;

  // The device drivers (devices.h) its ticks and console input go to, or nullptr.
  void set_devices(Devices* devices) { devices_ = devices; }

  // One call by `thread` with the arguments in its registers; the status and value go
  // back into them (unless the call resumed the thread from an exception handler).
  void call(ThreadObject& thread);
  // The same call on the fast path, from the arguments alone, for the running thread.
  arch::CallOutcome fast_call(arch::CallArguments& arguments);
  // A trap or fault of the running thread on the fast path: forwarded as trap() and
  // fault() do, and the thread's handler entered straight from there when nothing else
  // is to run.
  arch::EntryOutcome fast_entry(const UserEntry& entry);
  // A trap or fault of the running thread on the entry path's fast forward
  // (arch::ForwardHook): false when the general path is to take it.
  bool forward_directly(const UserEntry& entry, arch::HandlerEntry* out);
  // The running thread's trap or fault, forwarded from its card (arch::CardHook).
  arch::UserContext* forward_from_card(const arch::ExceptionCard& card, u32 trap, const Fault* fault,
                                       arch::ExceptionWords* report);

  // Counts of what came in, for statistics and tests.
  struct Counters {
    u64 calls = 0;
    u64 forwarded = 0;
    u64 failed_exceptions = 0;
  };
  // With what the entry path did itself (arch::fast_path_counts).
  Counters counters() const {
    const arch::FastPathCounts fast = arch::fast_path_counts();
    return Counters{.calls = counters_.calls + fast.calls,
                    .forwarded = counters_.forwarded + fast.forwarded,
                    .failed_exceptions = counters_.failed_exceptions};
  }

 private:
  bool is_call(const ThreadObject& t, u8 trap_number) const;
  // Calls that write back the caller's own state need its whole context saved first.
  static bool needs_context(const ThreadObject& t, const arch::CallArguments& a);
  // Counts and performs the call; true when the thread goes on from where it called.
  [[gnu::always_inline]] bool perform(ThreadObject& t, const arch::CallArguments& a, ck_status* status, u32* value,
                                      bool* resumed);
  [[gnu::noinline, gnu::cold]] u32 retry_blocker() const;
  [[gnu::always_inline]] ck_status dispatch(ThreadObject& t, const arch::CallArguments& a, u32* value, bool* resumed);
  ck_status query(ThreadObject& t, u32 what, u32 argument, u32* value);
  Disposition after(ThreadObject& t) const;
  // Forwards the exception to the thread's kernel, counted; false when it had nowhere to
  // go (the thread has been unloaded as faulted).
  bool forward(ThreadObject& t, const ExceptionReport& report);
  // A handler's CK_RESUME, plain or with CK_RESUME_RESULT, from the running thread
  // (arch::ResumeHook).
  arch::ResumeOutcome resume_directly(u32 flags, u32 result);
  arch::CallOutcome hand_over(ThreadObject& from);
  // A call done on the fast path (fast_call, load_directly) answered: `answered_now`
  // false when the caller is not to be answered now (blocked itself, gave way, or gone).
  arch::CallOutcome answer_fast(ThreadObject& t, arch::CallArguments& a, ck_status status, u32 value, u32 queue_version,
                                bool answered_now);
  // A handler's CK_LOAD_MAPPING_RESUME from the running thread (arch::LoadResumeHook).
  u32 load_resume_directly(arch::CallArguments& a);
  // CK_LOAD_MAPPING's common case (ObjectCaches::load_mapping_plain), for its own hook:
  // false having done nothing when it declines.
  bool load_plain(arch::CallArguments& a);
  // The same once plain_load_declined's test passed (its prologue only then).
  bool load_plain_checked(arch::CallArguments& a);
  // The common case of other calls (arch::PlainCallHook): CK_LOAD_SPACE and
  // CK_LOAD_THREAD with a slot free; CK_WAKE, CK_SIGNAL, CK_BLOCK, CK_WAIT_SIGNAL,
  // CK_UNLOAD_MAPPING, CK_UNLOAD_THREAD of another thread. An arch::CallOutcome, or
  // PlainCall::Declined having done nothing.
  u32 plain_call(arch::CallArguments& a);
  // The same by operation (arch::PlainCallHook::ops): each of those calls' own handler,
  // nullptr for the rest; plain_call dispatches through it too.
  static const arch::PlainCallHandler* plain_call_handlers();
  template <typename Call>
  u32 call_plain(arch::CallArguments& a, Call&& call);
  u32 wake_plain(arch::CallArguments& a);
  u32 signal_plain(arch::CallArguments& a);
  u32 block_plain(arch::CallArguments& a);
  u32 wait_signal_plain(arch::CallArguments& a);
  u32 unload_mapping_plain(arch::CallArguments& a);
  u32 unload_thread_plain(arch::CallArguments& a);
  // The same for each, once plain_call found a slot free.
  u32 load_space_plain(arch::CallArguments& a);
  u32 load_thread_plain(arch::CallArguments& a);
  // CK_LOAD_MAPPING as fast_call does it, for the same hook.
  arch::CallOutcome load_directly(arch::CallArguments& a);
  // The call itself, for dispatch and load_resume_directly: CK_OK once loaded and resumed.
  [[gnu::always_inline]] ck_status load_mapping_resume(ThreadObject& t, const arch::CallArguments& a);
  // Whether the running thread, whose context changed, goes on without the run loop:
  // it is still the one to run, and its new context can be entered at once.
  bool go_on(ThreadObject& t) const;
  // The same for a thread known to be ready.
  bool enter_now(ThreadObject& t) const;

  ObjectCaches& caches_;
  Devices* devices_ = nullptr;
  Counters counters_;
};

// Maps the machine-independent fault to the ABI's exception kind and access word.
ExceptionReport exception_report(const Fault& fault);

}  // namespace ck
