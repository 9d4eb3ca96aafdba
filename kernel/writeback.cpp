// Writeback records (paper §2): the state of an object leaving the cache, for its
// owner. Callers have checked that the owner's ring has room.
#include "object_caches.h"

namespace ck {

void ObjectCaches::write_record(u32 kernel, const ck_writeback& record, const void* extra, u32 extra_bytes) {
  // The first record since the kernel last found its ring empty wakes its writeback
  // thread: a signal on the ring's page, to the signal thread of the kernel's mapping of
  // it (§2.2; a kernel without one polls `pending`).
  if (ring_of(kernel).write(record, extra, extra_bytes)) signal_physical(kernels_[kernel].ring, 0);
}

void ObjectCaches::write_back_mapping(u32 space, VirtAddr va, PhysAddr pa, u16 flags, u32 signal_thread) {
  const SpaceObject& s = spaces_[space];
  ck_writeback r{};
  r.kind = CK_WB_MAPPING;
  r.flags = flags;
  r.cookie = s.cookie;
  r.space = spaces_.id_of(space).raw();
  r.va = va.value();
  r.pa = pa.value();
  r.exception = signal_thread;
  write_record(s.kernel, r, nullptr, 0);
}

void ObjectCaches::write_back_thread(ThreadObject& t, u16 flags, u32 exception, VirtAddr address) {
  // retire_thread has saved the FPU state into t.own.
  ck_thread_state state{};
  arch::get_registers(t.own, &state.regs);
  arch::get_fpu_registers(t.own, &state.fpu);
  state.exception_stack = t.exception_stack.value();
  ck_writeback r{};
  r.kind = CK_WB_THREAD;
  r.flags = static_cast<u16>(flags | (t.in_exception ? CK_WB_IN_EXCEPTION : 0) |
                             (threads_.locked(t.slot) ? CK_WB_LOCKED : 0) | (t.blocked ? CK_WB_BLOCKED : 0) |
                             (t.in_signal ? CK_WB_IN_SIGNAL : 0) | (t.signal_count != 0 ? CK_WB_SIGNALS_LOST : 0));
  r.id = threads_.id_of(t.slot).raw();
  r.cookie = t.cookie;
  r.space = spaces_.id_of(t.home_space).raw();
  r.va = t.priority;
  r.exception = exception;
  r.address = address.value();
  write_record(t.kernel, r, &state, sizeof state);
}

void ObjectCaches::write_back_space(u32 slot, u16 flags) {
  const SpaceObject& s = spaces_[slot];
  ck_writeback r{};
  r.kind = CK_WB_SPACE;
  r.flags = static_cast<u16>(flags | (spaces_.locked(slot) ? CK_WB_LOCKED : 0));
  r.id = spaces_.id_of(slot).raw();
  r.cookie = s.cookie;
  r.space = r.id;
  write_record(s.kernel, r, nullptr, 0);
}

void ObjectCaches::write_back_kernel(u32 slot, u16 flags) {
  // Kernel objects are written back to the first kernel, which loaded them (§2.4).
  ck_writeback r{};
  r.kind = CK_WB_KERNEL;
  r.flags = static_cast<u16>(flags | (kernels_.locked(slot) ? CK_WB_LOCKED : 0));
  r.id = kernels_.id_of(slot).raw();
  r.cookie = kernels_[slot].cookie;
  write_record(srm_, r, nullptr, 0);
}

}  // namespace ck
