// fork (fork.h).
#include "fork.h"

#include <string.h>

#include "emulator.h"
#include "lib/endian.h"
#include "libak.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "page_ops.h"
#include "physical_memory.h"
#include "scheduler.h"
#include "space_pool.h"
#include "startup_history.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

// The caller's floating-point registers, as its trap left them: the handler runs on a
// reset FPU (the Cache Kernel's), so they come from the Cache Kernel (CK_EXCEPTION_FPU).
// Refused only outside a handler, which a system call's handler never is.
void save_caller_fpu(ck_fpu_registers* fpu) {
  if (ak::exception_fpu(fpu) != CK_OK) *fpu = ck_fpu_registers{};
}

namespace {

// The child's page map: the parent's frames, one more reference each (`parent`: the
// calling thread's group leader). A private writable page may be mapped writable in the
// parent (its page map's load bits say so): that mapping leaves the Cache Kernel, to come
// back read-only (copy-on-write). Not for a vfork (`vfork`: CLONE_VM): its parent's
// thread waits until the child execs or ends, and the parent's mappings stay writable
// meanwhile (vfork's child borrows the parent's memory: the parent's other threads'
// writes reach it; its own writes still go to copies, as after a fork). A third sharer
// of those frames takes them away first (keep_vfork_sharing_safe).
// But the page under the caller's stack pointer (`stack_page`) is copied for the child
// at once: both write it as soon as they run (the call's return, the next call), so
// sharing it would only cost the parent two faults and a copy of its own; the parent's
// mapping of it stays as it is.
bool share_pages(Process& parent, Process& child, uint32_t stack_page, bool vfork) {
  // MAP_SHARED memory is one object for both: its pages not touched yet are made
  // resident now, so that both page maps hold the same frames.
  for (uint32_t i = 0; i < parent.regions.count(); ++i) {
    const Region& r = parent.regions.at(i);
    if (!r.shared || (r.prot & (abi::kPROT_READ | abi::kPROT_WRITE | abi::kPROT_EXEC)) == 0) continue;
    for (uint32_t va = r.start; va < r.end; va += kPageBytes) {
      uint32_t frame;
      bool sigbus = false;
      if (resident_frame(parent, va, Touch::Read, &frame, &sigbus) == -abi::kENOMEM) return false;
    }
  }
  if (!child.pages.clone_from(parent.pages)) return false;
  // The pages come in address order: the region of the last one is looked at first (a
  // search per page was a tenth of the call).
  const Region* r = nullptr;
  parent.pages.for_each_loaded(0, 0xffffffffu, [&](uint32_t va, uint32_t frame, uint32_t loaded) {
    if (r == nullptr || va < r->start || va >= r->end) r = parent.regions.find(va);
    const bool private_writable = r != nullptr && !r->shared && (r->prot & abi::kPROT_WRITE) != 0;
    uint32_t copy;
    if (va == stack_page && private_writable && (r->prot & abi::kPROT_EXEC) == 0 && memory().allocate_to_fill(&copy)) {
      ak::copy_page(memory().at(copy), memory().at(frame));  // MOVE16
      child.pages.set(va, copy);                             // the entry exists (cloned): no table to allocate
      return;
    }
    memory().share(frame);
    // Only a mapping loaded writable needs to go (one the parent never loaded, or loaded
    // read-only, is not asked about: its page map's load bits), whoever else shares the
    // frame (a vfork child may: the parent's mapping stayed writable).
    if (!vfork && private_writable && (loaded & PageMap::kLoadedWritable) != 0) {
      if (parent.space != 0) unload_mapping_surely(parent.space, va);
      parent.pages.mark_unloaded(va);
    }
  });
  return true;
}

// What the child copies: the process's shared state, and the calling thread's mask,
// alternate stack and thread pointer (a fork copies only the calling thread).
void copy_identity(const Process& caller, Process& child) {
  const Process& parent = caller.group();
  child.pgid = parent.pgid;
  child.sid = parent.sid;
  child.regions.copy_from(parent.regions);
  child.program = parent.program;
  child.brk_start = parent.brk_start;
  child.brk = parent.brk;
  child.cwd = parent.cwd;
  child.umask = parent.umask;
  memcpy(child.exe, parent.exe, sizeof child.exe);
  memcpy(child.comm, parent.comm, sizeof child.comm);
  memcpy(child.actions, parent.actions, sizeof child.actions);
  child.signal_mask = caller.signal_mask;
  child.sig.altstack_sp = caller.sig.altstack_sp;  // pending signals are not inherited
  child.sig.altstack_size = caller.sig.altstack_size;
  child.sig.altstack_autodisarm = caller.sig.altstack_autodisarm;
  child.tls = caller.tls;
  child.fds.inherit(parent.fds);
}

// Writes pid `value` at `va` of `p` (CLONE_*_SETTID; a bad address is ignored, as Linux
// does).
void put_tid(Process& p, uint32_t va, uint32_t value) {
  uint8_t raw[4];
  ck::store_be32(raw, value);
  copy_out(p, va, raw, sizeof raw);
}

// A vfork child (or a thread of it) making a new process: the vfork parent's
// writable mappings of frames its child shares go (as a fork's would have), so that no
// frame a third process shares stays writable anywhere.
void keep_vfork_sharing_safe(Process& caller) {
  const uint32_t borrowed_from = caller.group().vfork_parent;
  if (borrowed_from == 0) return;
  Process* vfork_parent = processes().by_tid(borrowed_from);
  if (vfork_parent == nullptr || vfork_parent->state != ProcessState::Running) return;
  Process& leader = vfork_parent->group();
  leader.pages.for_each_loaded(0, 0xffffffffu, [&](uint32_t va, uint32_t frame, uint32_t loaded) {
    if ((loaded & PageMap::kLoadedWritable) == 0 || memory().refs(frame) < 2) return;
    const Region* r = leader.regions.find(va);
    if (r == nullptr || r->shared) return;
    if (leader.space != 0) unload_mapping_surely(leader.space, va);
    leader.pages.mark_unloaded(va);
  });
}

void discard(Process& child) {
  child.state = ProcessState::Zombie;
  finish_process(child);
  processes().release(child);
}

}  // namespace

Process* fork_process(Process& caller, const ForkRequest& q, int32_t* error) {
  Process& parent = caller.group();
  Process* c = processes().allocate(parent.pid);
  if (c == nullptr) {
    *error = -abi::kEAGAIN;
    return nullptr;
  }
  copy_identity(caller, *c);
  // A vfork child's fork: its parent's mappings it borrows leave first.
  keep_vfork_sharing_safe(caller);
  // Its nice and its level (a compute-bound process's children start no higher).
  scheduler().forked(processes().index_of(caller), processes().index_of(*c));
  if ((q.flags & abi::kCLONE_SETTLS) != 0) c->tls = q.tls;
  if ((q.flags & abi::kCLONE_CHILD_CLEARTID) != 0) c->clear_child_tid = q.child_tid;
  const uint32_t caller_sp = exception_frame(processes().index_of(caller)).regs.a[7];
  const bool vfork = (q.flags & (abi::kCLONE_VM | abi::kCLONE_VFORK)) == (abi::kCLONE_VM | abi::kCLONE_VFORK);
  if (!share_pages(parent, *c, q.stack == 0 ? page_down(caller_sp) : 0xffffffffu, vfork)) {
    discard(*c);
    *error = -abi::kENOMEM;
    return nullptr;
  }
  const uint32_t slot = processes().index_of(*c);
  ck_thread_state state{};
  state.regs = exception_frame(processes().index_of(caller)).regs;
  state.regs.d[0] = 0;  // the child's result
  if (q.stack != 0) state.regs.a[7] = q.stack;
  save_caller_fpu(&state.fpu);
  state.exception_stack = exception_stack_top(slot);
  state.value_call = abi::kGetThreadArea;
  state.value = c->tls;
  if ((q.flags & abi::kCLONE_CHILD_SETTID) != 0) put_tid(*c, q.child_tid, c->pid);
  if ((q.flags & abi::kCLONE_PARENT_SETTID) != 0) put_tid(caller, q.parent_tid, c->pid);
  // An ended process's space, with the read-only mappings of its frames the child has
  // too (space_pool.h).
  adopt_kept_space(*c);
  if (load_or_defer(*c, state) != CK_OK) {
    discard(*c);
    *error = -abi::kENOMEM;
    return nullptr;
  }
  // What its program's earlier children touched first, loaded now (startup_history.h).
  start_history(*c, c->program, Start::Fork);
  preload_history(*c);
  return c;
}

}  // namespace unixemu
