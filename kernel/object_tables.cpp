// The object tables (object_tables.h) and a thread's own transitions (objects.h).
#include "object_tables.h"

namespace ck {

void ObjectTables::reset() {
  kernels_.reset();
  spaces_.reset();
  threads_.reset();
  srm_ = kNoSlot;
}

u32 ObjectTables::add_first_kernel(VirtAddr handler, bool handler_no_fpu) {
  srm_ = add_kernel(handler, 0, true, handler_no_fpu);
  return srm_;
}

u32 ObjectTables::add_kernel(VirtAddr handler, u32 cookie, bool locked, bool handler_no_fpu, bool home_paged) {
  const u32 slot = kernels_.allocate();
  CK_ASSERT(slot != Kernels::kNone);
  kernels_[slot] = KernelObject{
      .handler = handler, .home = kNoSlot, .cookie = cookie, .spaces = 0, .threads = 0, .home_paged = home_paged};
  keep_fpu_[slot] = handler_no_fpu ? 1 : 0;
  home_roots_[slot] = PhysAddr(0);
  home_spaces_[slot] = nullptr;
  kernels_.set_locked(slot, locked);
  return slot;
}

u32 ObjectTables::add_space(u32 kernel, PhysAddr tables, u32 cookie, bool home, bool locked) {
  const u32 slot = spaces_.allocate();
  CK_ASSERT(slot != Spaces::kNone);
  spaces_[slot] = SpaceObject{.tables = AddressSpace{.tables = tables, .calls = home},
                              .kernel = kernel,
                              .cookie = cookie,
                              .threads = 0,
                              .home = home};
  spaces_.set_locked(slot, locked);
  KernelObject& k = kernels_[kernel];
  k.spaces += 1;
  if (home) {
    k.home = slot;
    home_roots_[kernel] = tables;
    home_spaces_[kernel] = &spaces_[slot].tables;
  }
  return slot;
}

u32 ObjectTables::add_thread(u32 space, u32 cookie, const ck_thread_state& state, bool locked) {
  const u32 slot = threads_.allocate();
  CK_ASSERT(slot != Threads::kNone);
  ThreadObject& t = threads_[slot];
  arch::load_user_context(t.own, state);
  t.context = &t.own;
  t.interrupted_ = &t.own;
  t.space = &spaces_[space].tables;
  t.id = threads_.id_of(slot).raw();
  t.next = t.prev = nullptr;
  t.state_ = ThreadState();
  t.slot_ = slot;
  t.home_space_ = space;
  t.kernel_ = spaces_[space].kernel;
  t.cookie_ = cookie;
  t.exception_stack_ = VirtAddr(state.exception_stack);
  t.exception_frame_ = VirtAddr(0);
  t.card_ = card_of(t);
  arch::attach_card(t.own, &t.card_);
  threads_.set_locked(slot, locked);
  spaces_[space].threads += 1;
  kernels_[t.kernel_].threads += 1;
  return slot;
}

// Nothing on it changes while the thread is loaded: its kernel's handler, its space's
// identity and its exception stack are fixed from their loads; the home space is read
// through the kernel's home_roots_ entry.
arch::ExceptionCard ObjectTables::card_of(const ThreadObject& t) const {
  u32 frame = handler_frame(t.exception_stack_.value());
  const u32 sp = frame - 8;
  if (frame == 0 || sp / arch::kPageBytes != (frame + sizeof(ck_exception) - 1) / arch::kPageBytes) frame = 0;
  // A thread of a kernel whose home space the first kernel pages, running there: its
  // faults there are not its handler's (Forwarding::home_fault), so none is forwarded
  // from the card.
  const KernelObject& k = kernels_[t.kernel_];
  if (k.home_paged && t.home_space_ == k.home) frame = 0;
  return arch::ExceptionCard{.handler = kernels_[t.kernel_].handler.value(),
                             .frame = frame,
                             .thread = t.id,
                             .thread_cookie = t.cookie_,
                             .space = spaces_.id_of(t.home_space_).raw(),
                             .space_cookie = spaces_[t.home_space_].cookie,
                             .home_root = &home_roots_[t.kernel_],
                             .owner = const_cast<ThreadObject*>(&t),
                             .home_space = reinterpret_cast<void* const*>(&home_spaces_[t.kernel_]),
                             .own_space = const_cast<AddressSpace*>(&spaces_[t.home_space_].tables),
                             .keep_fpu = keep_fpu_[t.kernel_]};
}

void ObjectTables::remove_kernel(u32 slot) {
  CK_ASSERT(kernels_[slot].spaces == 0 && kernels_[slot].threads == 0);
  kernels_.release(slot);
}

void ObjectTables::remove_space(u32 slot) {
  SpaceObject& s = spaces_[slot];
  CK_ASSERT(s.threads == 0);
  KernelObject& k = kernels_[s.kernel];
  if (k.home == slot) {
    k.home = kNoSlot;
    home_roots_[s.kernel] = PhysAddr(0);
    home_spaces_[s.kernel] = nullptr;
  }
  k.spaces -= 1;
  spaces_.release(slot);
}

void ObjectTables::remove_thread(u32 slot) {
  const ThreadObject& t = threads_[slot];
  spaces_[t.home_space_].threads -= 1;
  kernels_[t.kernel_].threads -= 1;
  threads_.release(slot);
}

// ---- A thread's transitions (objects.h) --------------------------------------------

void ThreadObject::enter_signal(VirtAddr function, VirtAddr sp, u32 va) {
  state_.enter_signal();
  arch::init_user_context(signal_, function, sp);
  arch::set_call_result(signal_, static_cast<i32>(va), va);
  context = &signal_;
}

void ThreadObject::leave_signal() {
  state_.leave_signal();
  context = &own;
}

void ThreadObject::enter_handler(VirtAddr entry, VirtAddr sp, VirtAddr frame, AddressSpace* home) {
  state_.enter_handler();
  arch::enter_handler(handler_, entry, sp, frame.value());
  interrupted_ = context;
  context = &handler_;
  space = home;
  exception_frame_ = frame;
}

void ThreadObject::enter_handler_directly(VirtAddr frame, AddressSpace* home) {
  state_.enter_handler();
  arch::prepare_handler_context(handler_);
  interrupted_ = context;
  context = &handler_;
  space = home;
  exception_frame_ = frame;
}

void ThreadObject::save_contexts() {
  arch::save_user_context(own);
  arch::save_user_context(signal_);
  arch::save_user_context(handler_);
}

void ThreadObject::leave_handler(AddressSpace* own_space) {
  state_.leave_handler();
  arch::discard_user_context(handler_);  // entered afresh by the next exception
  context = interrupted_;
  space = own_space;
}

}  // namespace ck
