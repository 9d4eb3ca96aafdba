// Exception forwarding (paper §2.1 Figure 2, §2.3): a thread's fault, trap or other
// exception goes to its kernel. The thread's own state stays in its descriptor; the
// thread goes on in the kernel's home space, on its exception stack, at the kernel's
// handler, with a ck_exception frame. "Resume" returns it to its own state. A thread
// whose exception has nowhere to go is unloaded as faulted, and the first kernel told.
//
// Owns: nothing; it moves threads between their contexts (objects.h transitions).
#pragma once

#include "messaging.h"
#include "replacement.h"

namespace ck {

// An exception to hand to a thread's kernel.
struct ExceptionReport {
  u32 kind = CK_EXC_UNKNOWN;  // ck_exception_kind
  u32 vector = 0;             // trap number, or the machine's vector
  VirtAddr address;
  u32 access = 0;  // CK_ACCESS_* | bytes << 8
};

class Forwarding {
 public:
  Forwarding(ObjectTables& tables, Scheduler& scheduler, Messaging& messaging, Writeback& writeback,
             Replacement& replacement)
      : tables_(tables),
        scheduler_(scheduler),
        messaging_(messaging),
        writeback_(writeback),
        replacement_(replacement) {}

  // Hands `report` to the thread's kernel: the thread goes on in the kernel's handler.
  // False when it cannot (no handler, a fault in the handler, no stack): the thread has
  // then been unloaded with CK_WB_FAULTED (or halted when even that had no room).
  bool forward(ThreadObject& t, const ExceptionReport& report);
  // The common case of forward() for the entry path's fast forward: when the handler's
  // frame lies in one writable page, the thread enters its handler as forward() would
  // have it and `entry` says where (the registers left to the entry path to write);
  // false otherwise, having changed nothing (forward() then decides).
  bool forward_directly(ThreadObject& t, const ExceptionReport& report, arch::HandlerEntry* entry);
  // The state change of a forward from the thread's card (arch::CardHook), the entry
  // path writing the frame: the thread's handler context, or nullptr having changed
  // nothing.
  arch::UserContext* enter_from_card(ThreadObject& t);
  // CK_RESUME: the thread resumes what the handler interrupted, with the registers of
  // `frame` (in the handler's space) when `flags` has CK_RESUME_REGISTERS; with
  // CK_RESUME_UNHANDLED it leaves as faulted instead; with CK_RESUME_RESULT its d0 is
  // `result`.
  ck_status resume(ThreadObject& t, u32 flags, VirtAddr frame, u32 result = 0);
  // CK_EXCEPTION_FPU: the FPU registers of the context the handler interrupted (saved
  // when the handler was entered on a reset FPU; for a kernel whose handler does not
  // use the FPU, still in it: saved here first).
  ck_status exception_fpu(ThreadObject& t, ck_fpu_registers* out) const;
  // CK_EXCEPTION_FPU_SET: the interrupted context resumes with FPU registers `in` (an
  // emulated sigreturn restores them from the signal frame).
  ck_status set_exception_fpu(ThreadObject& t, const ck_fpu_registers& in);
  // CK_KERNEL_HOME_PAGED: whether `report`, taken by `t`, is a mapping fault in the home
  // space of a kernel the first kernel pages (the thread runs there: one of the kernel's
  // own threads, or any in its handler). Such a fault is never forwarded.
  bool home_fault(const ThreadObject& t, const ExceptionReport& report) const {
    const KernelObject& k = tables_.kernel(t.kernel());
    return k.home_paged && report.kind == CK_EXC_MAPPING && k.home != kNoSlot && t.space == tables_.tables_of(k.home);
  }
  // The same as forward() decides for a home fault: the thread stops, blocked, and the
  // first kernel is told (CK_WB_HOME_FAULT) to map the page at `address` and wake it.
  // `again`: the pc goes back over the trap instruction first (a trap whose forward found
  // the handler's stack unmapped is taken again). With no room in the first kernel's
  // ring, the thread stays ready and makes the access (or the trap) again.
  void stop_for_first_kernel(ThreadObject& t, const ExceptionReport& report, VirtAddr address, bool again);

  // The same without flags, for a thread in an exception (every forwarded trap's end):
  // inline, on the resume fast path.
  void resume_plain(ThreadObject& t) {
    t.leave_handler(tables_.tables_of(t.home_space()));
    // Signals that arrived while it was in the handler.
    if (messaging_.queued(t.slot()) != 0) messaging_.deliver_pending(t);
  }

 private:
  struct HandlerPlace {
    VirtAddr frame;  // the ck_exception
    VirtAddr sp;     // the handler's stack pointer: return address, frame pointer, frame
    u32 home;        // the kernel's home space
  };
  bool place(const ThreadObject& t, HandlerPlace* out) const;
  void fill(void* stack, const ThreadObject& t, const ExceptionReport& report, VirtAddr frame) const;
  void fail(ThreadObject& t, const ExceptionReport& report);

  ObjectTables& tables_;
  Scheduler& scheduler_;
  Messaging& messaging_;
  Writeback& writeback_;
  Replacement& replacement_;
};

}  // namespace ck
