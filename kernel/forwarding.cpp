// Exception forwarding (forwarding.h).
#include "forwarding.h"

#include "user_memory.h"

namespace ck {

namespace {
// What the exception stack receives (objects.h's kHandlerStackBytes).
struct HandlerStack {
  u32 return_address;
  u32 frame_pointer;
  ck_exception frame;
};
static_assert(sizeof(HandlerStack) == kHandlerStackBytes);

// The first page of [va, va + bytes) that `root` does not map (va itself when all are:
// then one is not writable).
VirtAddr unmapped_in(PhysAddr root, VirtAddr va, u32 bytes) {
  for (u32 page = va.value() & ~(arch::kPageBytes - 1); page < va.value() + bytes; page += arch::kPageBytes)
    if (!arch::page_mapped(root, VirtAddr(page))) return VirtAddr(page > va.value() ? page : va.value());
  return va;
}
}  // namespace

void Forwarding::fail(ThreadObject& t, const ExceptionReport& report) {
  const u32 exception = report.kind | report.vector << 8;
  const u32 srm = tables_.first_kernel();
  // The thread goes to its kernel's ring (with the signal mappings that depend on it);
  // the first kernel, which started that kernel, is told (§3: it restarts or removes a
  // kernel that faults without a handler). All of it planned first.
  const bool tell_srm = t.kernel() != srm;
  WritebackPlan plan(writeback_);
  if (replacement_.plan_thread(t.slot(), plan) && (!tell_srm || plan.take(srm, 1))) {
    ck_writeback notice{};
    notice.kind = CK_WB_FAULT;
    notice.id = tables_.kernels().id_of(t.kernel()).raw();
    notice.cookie = tables_.kernel(t.kernel()).cookie;
    notice.space = tables_.spaces().id_of(t.home_space()).raw();
    ck_registers regs;
    arch::get_registers(t.own, &regs);
    notice.va = regs.pc;
    notice.exception = exception;
    notice.address = report.address.value();
    replacement_.drop_thread(t.slot(), CK_WB_FAULTED, exception, report.address);
    if (tell_srm) replacement_.write(srm, notice);
    return;
  }
  // No room to say so: the thread stops where it is, loaded, until its kernel unloads it.
  scheduler_.halt(t);
}

// Where the handler's stack goes: below the thread's exception stack top, the frame
// longword-aligned. False when the thread cannot take an exception now (in a handler
// already, a kernel without a home, a stack too low).
bool Forwarding::place(const ThreadObject& t, HandlerPlace* out) const {
  const KernelObject& k = tables_.kernel(t.kernel());
  const u32 frame = handler_frame(t.exception_stack().value());
  if (t.state().in_exception() || k.home == kNoSlot || frame == 0) return false;
  out->frame = VirtAddr(frame);
  out->sp = VirtAddr(out->frame.value() - 8);
  out->home = k.home;
  return true;
}

// Everything the handler's stack holds but the registers.
void Forwarding::fill(void* stack_memory, const ThreadObject& t, const ExceptionReport& report, VirtAddr frame) const {
  HandlerStack& stack = *static_cast<HandlerStack*>(stack_memory);
  stack.return_address = 0;
  stack.frame_pointer = frame.value();
  ck_exception& f = stack.frame;
  f.kind = report.kind;
  f.vector = report.vector;
  f.address = report.address.value();
  f.access = report.access;
  f.thread = t.id;
  f.thread_cookie = t.cookie();
  f.space = tables_.spaces().id_of(t.home_space()).raw();
  f.space_cookie = tables_.space(t.home_space()).cookie;
}

void Forwarding::stop_for_first_kernel(ThreadObject& t, const ExceptionReport& report, VirtAddr address, bool again) {
  ck_registers regs;
  arch::get_registers(*t.context, &regs);
  if (again) {
    regs.pc -= 2;  // trap #n is one word; the frame's pc is past it
    arch::set_registers(*t.context, regs);
  }
  const u32 srm = tables_.first_kernel();
  WritebackPlan plan(writeback_);
  if (!plan.take(srm, 1)) return;  // ready: it takes the same exception again
  const KernelObject& k = tables_.kernel(t.kernel());
  ck_writeback notice{};
  notice.kind = CK_WB_HOME_FAULT;
  notice.id = t.id;
  notice.cookie = k.cookie;
  notice.space = tables_.spaces().id_of(k.home).raw();
  notice.va = regs.pc;
  notice.pa = report.access;
  notice.exception = CK_EXC_MAPPING | report.vector << 8;
  notice.address = address.value();
  scheduler_.block(t, false, 0, 0);
  replacement_.write(srm, notice);
}

bool Forwarding::forward(ThreadObject& t, const ExceptionReport& report) {
  if (home_fault(t, report)) {
    stop_for_first_kernel(t, report, report.address, false);
    return false;
  }
  HandlerPlace at;
  if (!place(t, &at)) {
    fail(t, report);
    return false;
  }
  const PhysAddr home = tables_.root_of(at.home);
  // Built in place on the handler's stack when it lies in one page (the common case),
  // else here and copied.
  HandlerStack local;
  auto* window = static_cast<HandlerStack*>(arch::user_write_window(home, at.sp, sizeof(HandlerStack)));
  HandlerStack& stack = window != nullptr ? *window : local;
  fill(&stack, t, report, at.frame);
  arch::get_registers(*t.context, &stack.frame.regs);  // its own state, or its signal function's
  if (window == nullptr && !copy_to_user(home, at.sp, &local, sizeof local)) {
    // The handler's stack not mapped in a home space the first kernel pages: a fault
    // there, then this exception again (a trap taken again, a fault made again).
    const bool again = report.kind == CK_EXC_TRAP;
    if (tables_.kernel(t.kernel()).home_paged &&
        (again || report.kind == CK_EXC_MAPPING || report.kind == CK_EXC_PROTECTION)) {
      stop_for_first_kernel(t, report, unmapped_in(home, at.sp, sizeof local), again);
      return false;
    }
    fail(t, report);
    return false;
  }
  t.enter_handler(tables_.kernel(t.kernel()).handler, at.sp, at.frame, tables_.tables_of(at.home));
  return true;
}

bool Forwarding::forward_directly(ThreadObject& t, const ExceptionReport& report, arch::HandlerEntry* entry) {
  if (home_fault(t, report)) return false;
  HandlerPlace at;
  if (!place(t, &at)) return false;
  const PhysAddr home = tables_.root_of(at.home);
  auto* stack = static_cast<HandlerStack*>(arch::user_write_window(home, at.sp, sizeof(HandlerStack)));
  if (stack == nullptr) return false;

  fill(stack, t, report, at.frame);
  t.enter_handler_directly(at.frame, tables_.tables_of(at.home));
  *entry = arch::HandlerEntry{.context = t.context,
                              .root = home,
                              .pc = tables_.kernel(t.kernel()).handler.value(),
                              .sp = at.sp.value(),
                              .frame = at.frame.value(),
                              .registers = &stack->frame.regs};
  return true;
}

arch::UserContext* Forwarding::enter_from_card(ThreadObject& t) {
  const u32 home = tables_.kernel(t.kernel()).home;
  if (t.state().in_exception() || home == kNoSlot || t.card().frame == 0) return nullptr;
  t.enter_handler_directly(VirtAddr(t.card().frame), tables_.tables_of(home));
  return t.context;
}

ck_status Forwarding::exception_fpu(ThreadObject& t, ck_fpu_registers* out) const {
  if (!t.state().in_exception()) return CK_E_NOT_IN_EXCEPTION;
  // A handler that keeps the FPU (CK_KERNEL_HANDLER_NO_FPU) runs with the thread's
  // state still in it.
  arch::save_user_context(t.interrupted());
  arch::get_fpu_registers(t.interrupted(), out);
  return CK_OK;
}

ck_status Forwarding::set_exception_fpu(ThreadObject& t, const ck_fpu_registers& in) {
  if (!t.state().in_exception()) return CK_E_NOT_IN_EXCEPTION;
  // If its state is still in the FPU (CK_KERNEL_HANDLER_NO_FPU), that state is dropped:
  // every word of it is replaced here (an idle frame and every register), and the
  // resume restores this one.
  arch::discard_user_context(t.interrupted());
  arch::set_fpu_registers(t.interrupted(), in);
  return CK_OK;
}

ck_status Forwarding::resume(ThreadObject& t, u32 flags, VirtAddr frame, u32 result) {
  if (!t.state().in_exception()) return CK_E_NOT_IN_EXCEPTION;
  // Either the general flags (registers, giving up) or the quick ones (a result, a yield).
  const bool general = (flags & ~(CK_RESUME_REGISTERS | CK_RESUME_UNHANDLED)) == 0;
  const bool quick = (flags & ~(CK_RESUME_RESULT | CK_RESUME_YIELD)) == 0;
  if (!general && !quick) return CK_E_ARGUMENT;
  if ((flags & CK_RESUME_RESULT) != 0) arch::set_return_value(t.interrupted(), result);
  if ((flags & CK_RESUME_UNHANDLED) != 0) {
    // The exception as the handler's frame gave it; the thread leaves as faulted.
    ck_exception f;
    if (!copy_from_user(t.space->tables, frame, &f, sizeof f)) return CK_E_POINTER;
    fail(t, ExceptionReport{.kind = f.kind, .vector = f.vector, .address = VirtAddr(f.address)});
    return CK_OK;
  }
  if ((flags & CK_RESUME_REGISTERS) != 0) {
    ck_registers regs;
    if (!copy_from_user(t.space->tables, frame + offsetof(ck_exception, regs), &regs, sizeof regs)) return CK_E_POINTER;
    arch::set_registers(t.interrupted(), regs);
  }
  resume_plain(t);
  return CK_OK;
}

}  // namespace ck
