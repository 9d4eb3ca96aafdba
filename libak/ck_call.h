// Cache Kernel calls from an application kernel (ck/abi.h): trap #0 with
// the operation in d0 and arguments in d1-d4 and a0; status back in d0, value in d1.
#pragma once

#include <stdint.h>
#include "ck/abi.h"

namespace ak {

struct CallResult {
  int32_t status;
  uint32_t value;
  bool ok() const { return status == CK_OK; }
};

inline CallResult call(uint32_t op, uint32_t d1 = 0, uint32_t d2 = 0, uint32_t d3 = 0, uint32_t d4 = 0,
                       const void* a0 = nullptr) {
  register uint32_t r0 asm("d0") = op;
  register uint32_t r1 asm("d1") = d1;
  register uint32_t r2 asm("d2") = d2;
  register uint32_t r3 asm("d3") = d3;
  register uint32_t r4 asm("d4") = d4;
  register const void* ra0 asm("a0") = a0;
  asm volatile("trap #0" : "+d"(r0), "+d"(r1) : "d"(r2), "d"(r3), "d"(r4), "a"(ra0) : "memory", "cc");
  return CallResult{static_cast<int32_t>(r0), r1};
}

// A kernel started paged (ck_boot_info::paged_memory != 0: the SRM maps its image and
// memory as it touches them, unlocked) may pass the Cache Kernel a pointer to its own
// bytes whose page was displaced a moment before: the call fails CK_E_POINTER, having
// changed nothing. touch_pages() reads a byte of each page of [p, p + bytes), which
// faults them in (the SRM maps them), and says whether the call is worth making again:
// false for a kernel that is not paged, whose CK_E_POINTER is a bad pointer of its own.
bool touch_pages(const void* p, uint32_t bytes);
// A call with a pointer argument to `bytes` bytes, made again (a few times) while it fails
// CK_E_POINTER and touch_pages() says so.
inline CallResult call_with(uint32_t op, uint32_t d1, uint32_t d2, uint32_t d3, const void* p, uint32_t bytes) {
  CallResult r = call(op, d1, d2, d3, 0, p);
  for (int again = 0; again < 4 && r.status == CK_E_POINTER && touch_pages(p, bytes); ++again)
    r = call(op, d1, d2, d3, 0, p);
  return r;
}

// The first failing status of a sequence of calls: s.step(a) && s.step(b) && ...
struct Steps {
  int32_t status = CK_OK;
  bool step(int32_t s) {
    if (status == CK_OK) status = s;
    return status == CK_OK;
  }
};

// A load whose victim is too large for one call reclaims part of it and answers
// CK_E_PARTIAL: called again until it is done (each call takes the victim's next objects).
inline CallResult load_space(ck_id owner, uint32_t cookie, uint32_t flags) {
  CallResult r;
  do r = call(CK_LOAD_SPACE, owner, cookie, flags);
  while (r.status == CK_E_PARTIAL);
  return r;
}
inline int32_t unload_space(ck_id space) { return call(CK_UNLOAD_SPACE, space).status; }
inline CallResult load_thread(ck_id space, uint32_t cookie, uint32_t flags, const ck_thread_state& state) {
  return call_with(CK_LOAD_THREAD, space, cookie, flags, &state, sizeof state);
}
inline int32_t unload_thread(ck_id thread) { return call(CK_UNLOAD_THREAD, thread).status; }
// With CK_MAP_MESSAGE, `signal_thread` (a thread of the space's owner) receives the
// signals on the page (paper §2.2).
inline int32_t load_mapping(ck_id space, uint32_t va, uint32_t pa, uint32_t flags, ck_id signal_thread = 0) {
  return call(CK_LOAD_MAPPING, space, va, pa, flags, reinterpret_cast<const void*>(signal_thread)).status;
}
inline int32_t unload_mapping(ck_id space, uint32_t va) { return call(CK_UNLOAD_MAPPING, space, va).status; }
inline int32_t unload_page(uint32_t pa) { return call(CK_UNLOAD_PAGE, pa).status; }
inline int32_t set_priority(ck_id thread, uint32_t priority) { return call(CK_SET_PRIORITY, thread, priority).status; }
// A `trap #0` of `thread` (0: the caller) outside the home space with d0 == `value_call`
// returns `value` at once (CK_SET_THREAD_VALUE; 0: no such call).
inline int32_t set_thread_value(ck_id thread, uint32_t value_call, uint32_t value) {
  return call(CK_SET_THREAD_VALUE, thread, value_call, value).status;
}
// Return from an exception handler; only comes back on error.
inline int32_t resume(const ck_exception* with_registers = nullptr) {
  return call_with(CK_RESUME, with_registers != nullptr ? CK_RESUME_REGISTERS : 0, 0, 0, with_registers,
                   with_registers != nullptr ? sizeof *with_registers : 0)
      .status;
}
// Return from an exception handler with `d0` in the thread's d0, every other register as
// it was interrupted (an emulated system call's result); only comes back on error.
inline int32_t resume_with_result(uint32_t d0) { return call(CK_RESUME, CK_RESUME_RESULT, d0).status; }
// The same, the thread going behind the other ready threads of its priority (sched_yield).
inline int32_t resume_yielding(uint32_t d0) { return call(CK_RESUME, CK_RESUME_RESULT | CK_RESUME_YIELD, d0).status; }
// From an exception handler: the FPU registers of what it interrupted (the handler's own
// FPU is a reset one).
inline int32_t exception_fpu(ck_fpu_registers* out) {
  return call_with(CK_EXCEPTION_FPU, 0, 0, 0, out, sizeof *out).status;
}
// From an exception handler: what it interrupted resumes with FPU registers `in` (an
// emulated sigreturn).
inline int32_t set_exception_fpu(const ck_fpu_registers* in) {
  return call_with(CK_EXCEPTION_FPU, CK_EXCEPTION_FPU_SET, 0, 0, in, sizeof *in).status;
}
// The handler cannot handle `e`: the thread is unloaded as faulted and the SRM is told
// (paper §3); only comes back on error.
inline int32_t give_up(const ck_exception* e) {
  return call_with(CK_RESUME, CK_RESUME_UNHANDLED, 0, 0, e, sizeof *e).status;
}
// Loads a mapping for the faulting thread's space and resumes it; only comes back on error.
inline int32_t load_mapping_resume(uint32_t va, uint32_t pa, uint32_t flags) {
  return call(CK_LOAD_MAPPING_RESUME, 0, va, pa, flags).status;
}
inline CallResult query(uint32_t what, uint32_t argument = 0) { return call(CK_QUERY, what, argument); }
// After writing instructions at [va, va + bytes) of this space (<= CK_SYNC_CODE_MAX,
// every page mapped): instruction fetches see them (the 68040's caches are not coherent).
inline int32_t sync_code(uint32_t va, uint32_t bytes) { return call(CK_SYNC_CODE, va, bytes).status; }

// Memory-based messaging (paper §2.2). signal: value = the threads signalled.
inline CallResult signal(uint32_t va) { return call(CK_SIGNAL, va); }
inline CallResult wait_signal() { return call(CK_WAIT_SIGNAL); }
inline uint32_t now() { return query(CK_QUERY_TIME).value; }

// Scheduling (paper §2.3, §4.3).
// Blocks the calling thread until ak::wake() or `timeout_ns` (0: none); the result's
// value is when it was made ready (ak::now()'s clock).
inline CallResult block_self(uint32_t timeout_ns = 0) { return call(CK_BLOCK, 0, timeout_ns); }
inline int32_t block(ck_id thread, uint32_t timeout_ns = 0) { return call(CK_BLOCK, thread, timeout_ns).status; }
inline int32_t wake(ck_id thread) { return call(CK_WAKE, thread).status; }
inline int32_t thread_stats(ck_id thread, ck_thread_stats* out) {
  return call_with(CK_THREAD_STATS, thread, 0, 0, out, sizeof *out).status;
}
inline int32_t kernel_stats(ck_id kernel, ck_kernel_stats* out) {
  return call_with(CK_KERNEL_STATS, kernel, 0, 0, out, sizeof *out).status;
}

// The first kernel's (SRM's) resource calls (paper §2.4, §4.3).
// Called again while it reclaims a large victim (CK_E_PARTIAL), as load_space.
inline CallResult load_kernel(const ck_kernel_desc& desc) {
  CallResult r;
  do r = call_with(CK_LOAD_KERNEL, 0, 0, 0, &desc, sizeof desc);
  while (r.status == CK_E_PARTIAL);
  return r;
}
inline int32_t unload_kernel(ck_id kernel) { return call(CK_UNLOAD_KERNEL, kernel).status; }
inline int32_t set_memory_access(ck_id kernel, uint32_t base, uint32_t bytes, uint32_t rights) {
  return call(CK_SET_MEMORY_ACCESS, kernel, base, bytes, rights).status;
}
inline int32_t set_cpu(ck_id kernel, uint32_t percent, uint32_t max_priority) {
  return call(CK_SET_CPU, kernel, percent, max_priority).status;
}
inline int32_t set_lock_quota(ck_id kernel, uint32_t type, uint32_t count) {
  return call(CK_SET_LOCK_QUOTA, kernel, type, count).status;
}

}  // namespace ak
