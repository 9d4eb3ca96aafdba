// Exception forwarding (paper §2.1 Figure 2, §2.3): a thread's fault, trap or other
// exception goes to its kernel. The thread's own state stays in its descriptor; the
// thread goes on in the kernel's home space, on its exception stack, at the kernel's
// handler, with a ck_exception frame. "Resume" returns it to its own state.
#include "object_caches.h"
#include "user_memory.h"

namespace ck {

namespace {
// What the exception stack receives, lowest address first: a return address (0: the
// handler must resume, not return), the frame pointer argument, the frame.
struct HandlerStack {
  u32 return_address;
  u32 frame_pointer;
  ck_exception frame;
};
}  // namespace

void ObjectCaches::fail_exception(ThreadObject& t, const ExceptionReport& report) {
  const u32 exception = report.kind | report.vector << 8;
  // The thread goes to its kernel's ring; the first kernel, which started that kernel,
  // is told (§3: it restarts or removes a kernel that faults without a handler).
  const bool tell_srm = t.kernel != srm_;
  if (ring_of(t.kernel).room().take(CK_WB_THREAD_SLOTS) && (!tell_srm || ring_of(srm_).room().take(1))) {
    ck_writeback notice{};
    notice.kind = CK_WB_FAULT;
    notice.id = kernels_.id_of(t.kernel).raw();
    notice.cookie = kernels_[t.kernel].cookie;
    notice.space = spaces_.id_of(t.home_space).raw();
    ck_registers regs;
    arch::get_registers(t.own, &regs);
    notice.va = regs.pc;
    notice.exception = exception;
    notice.address = report.address.value();
    drop_thread(t.slot, CK_WB_FAULTED, exception, report.address);
    if (tell_srm) write_record(srm_, notice, nullptr, 0);
    return;
  }
  // No room to say so: the thread stops where it is, loaded, until its kernel unloads it.
  if (run_queue_.contains(t)) run_queue_.remove(t);
  t.halted = true;
}

bool ObjectCaches::forward(ThreadObject& t, const ExceptionReport& report) {
  const KernelObject& k = kernels_[t.kernel];
  if (t.in_exception || k.home == kNoSlot) {
    fail_exception(t, report);
    return false;
  }
  const SpaceObject& home = spaces_[k.home];
  HandlerStack stack;  // every field is set below
  const u32 top = (t.exception_stack.value() - sizeof stack.frame) & ~3u;
  const VirtAddr frame_va(top);
  const VirtAddr sp(top - 8);
  stack.return_address = 0;
  stack.frame_pointer = frame_va.value();
  ck_exception& f = stack.frame;
  f.kind = report.kind;
  f.vector = report.vector;
  f.address = report.address.value();
  f.access = report.access;
  f.thread = t.id;
  f.thread_cookie = t.cookie;
  f.space = spaces_.id_of(t.home_space).raw();
  f.space_cookie = spaces_[t.home_space].cookie;
  arch::get_registers(*t.context, &f.regs);  // its own state, or its signal function's
  if (t.exception_stack.value() < sizeof stack || !copy_to_user(home.tables.tables, sp, &stack, sizeof stack)) {
    fail_exception(t, report);
    return false;
  }
  arch::enter_handler(t.handler, k.handler, sp, frame_va.value());
  t.interrupted = t.context;
  t.context = &t.handler;
  t.space = &spaces_[k.home].tables;
  t.exception_frame = frame_va;
  t.in_exception = true;
  return true;
}

ck_status ObjectCaches::resume(ThreadObject& t, u32 flags, VirtAddr frame) {
  if (!t.in_exception) return CK_E_NOT_IN_EXCEPTION;
  if ((flags & ~(CK_RESUME_REGISTERS | CK_RESUME_UNHANDLED)) != 0) return CK_E_ARGUMENT;
  if ((flags & CK_RESUME_UNHANDLED) != 0) {
    // The exception as the handler's frame gave it; the thread leaves as faulted.
    ck_exception f;
    if (!copy_from_user(t.space->tables, frame, &f, sizeof f)) return CK_E_POINTER;
    fail_exception(t, ExceptionReport{.kind = f.kind, .vector = f.vector, .address = VirtAddr(f.address)});
    return CK_OK;
  }
  if ((flags & CK_RESUME_REGISTERS) != 0) {
    ck_registers regs;
    if (!copy_from_user(t.space->tables, frame + offsetof(ck_exception, regs), &regs, sizeof regs)) return CK_E_POINTER;
    arch::set_registers(*t.interrupted, regs);
  }
  t.context = t.interrupted;
  t.space = &spaces_[t.home_space].tables;
  t.in_exception = false;
  deliver_pending(t);  // signals that arrived while it was in the handler
  return CK_OK;
}

}  // namespace ck
