// The emulator's exception handler (handler.h).
#include "handler.h"

#include <string.h>

#include "emulator.h"
#include "emulator_lock.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "process_end.h"
#include "signal_delivery.h"
#include "sigreturn_page.h"
#include "startup_history.h"
#include "syscall_names.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

bool g_verbose = false;
bool g_frame_checked = false;
uint32_t g_crash_at = 0, g_calls = 0;
volatile uint32_t* volatile g_null;   // opaque: the compiler keeps the write
uint32_t g_unknown_logged[512 / 32];  // calls already logged as unknown

void log_unknown(uint32_t number) {
  if (number < 512) {
    if ((g_unknown_logged[number / 32] & 1u << (number % 32)) != 0) return;
    g_unknown_logged[number / 32] |= 1u << (number % 32);
  }
  if (g_verbose) ak::print("unix: unknown system call {} ({}): -ENOSYS\n", ck::StrView(syscall_name(number)), number);
}

// Ends the process as Linux's default action for `signal` would: the reason is kept for
// the emulator's log line.
[[noreturn]] void kill_by_signal(Process& p, uint32_t signal, const ck_exception& e, const char* reason) {
  p.group().death_pc = e.regs.pc;
  p.group().death_address = e.address;
  p.group().death_reason = reason;
  exit_process(p, signal);
}

// The format and vector word of a trap #0's exception frame (format 0, vector 32).
constexpr uint16_t kTrapFormatvec = 32 << 2;

// A synchronous signal from the thread's own exception, as Linux's force_sig_fault sends
// it: a handler gets it with siginfo's code and address on the state before the exception
// (a faulted instruction is made again when the handler returns); ignored or blocked, it
// is reset to its default action and unblocked, which ends the process.
[[noreturn]] void fault_signal(Process& p, const ck_exception& e, uint32_t signal, int32_t code, uint32_t address,
                               const char* reason) {
  uint8_t* action = p.group().actions[signal - 1];
  const uint64_t bit = 1ull << (signal - 1);
  if (ck::load_be32(action) == abi::kSIG_IGN || (p.signal_mask & bit) != 0) {
    ck::store_be32(action, abi::kSIG_DFL);
    p.signal_mask &= ~bit;
  }
  if (ck::load_be32(action) == abi::kSIG_DFL) kill_by_signal(p, signal, e, reason);
  record_signal(p, signal, code, address);
  p.sig.formatvec = static_cast<uint16_t>(e.vector << 2);
  interrupt_self(p);
}

// The floating-point exceptions' codes by 68040 vector (48 BSUN ... 54 SNAN), as Linux's
// trap_c gives them; the unimplemented-instruction vectors (11, 13) are ILL_COPROC there.
int32_t fpe_code(uint32_t vector) {
  switch (vector) {
    case 49:
      return abi::kFPE_FLTRES;
    case 50:
      return abi::kFPE_FLTDIV;
    case 51:
      return abi::kFPE_FLTUND;
    case 53:
      return abi::kFPE_FLTOVF;
    default:
      return abi::kFPE_FLTINV;
  }
}

// The crash= test's write through a null pointer at the chosen call (out of line: every
// call only counts).
[[gnu::noinline]] void crash_at_call(uint32_t number) {
  if (++g_calls != g_crash_at) return;
  ak::print("unix: system call {}: writing through a null pointer (crash={})\n", g_calls, g_crash_at);
  *g_null = number;
}

// A call a signal ended asks to be made again or to end with EINTR (the signal path
// decides): Linux's -ERESTARTSYS (512), -ERESTARTNOINTR (513), -ERESTARTNOHAND (514).
constexpr bool asks_restart(uint32_t result) {
  static_assert(abi::kERESTARTSYS == 512 && abi::kERESTARTNOINTR == 513 && abi::kERESTARTNOHAND == 514);
  return result - error(abi::kERESTARTNOHAND) <= 2;
}
static_assert(asks_restart(error(abi::kERESTARTSYS)) && asks_restart(error(abi::kERESTARTNOINTR)) &&
              asks_restart(error(abi::kERESTARTNOHAND)) && !asks_restart(error(abi::kERESTARTNOHAND + 1)) &&
              !asks_restart(error(abi::kERESTARTSYS - 1)) && !asks_restart(0));

void system_call(Process& p, ck_exception& e) {
  const uint32_t number = e.regs.d[0];
  if (g_crash_at != 0) crash_at_call(number);
  const SyscallArgs args(e.regs);
  const SyscallFunction f = syscall_function(number);
  // A repeat of a call whose thread was written back half-way: its output goes on from
  // where the first attempt stopped.
  p.output_skip = 0;
  if (p.redo) {
    if (p.redo_pc == e.regs.pc - 2) p.output_skip = p.redo_skip;
    p.redo = false;
  }
  p.output_done = 0;
  uint32_t result;
  if (f != nullptr) {
    result = f(p, args);
  } else {
    log_unknown(number);
    result = error(abi::kENOSYS);
  }
  // A call a signal ended: -EINTR, or made again, as the signal path decides.
  const bool restart = asks_restart(result);
  if (restart) {
    p.sig.restart = -result;
    p.sig.restart_number = number;
    result = error(abi::kEINTR);
  }
  e.regs.d[0] = result;
  const bool new_program = p.exec_pc != 0;
  if (new_program) {
    // execve: the new program starts with clean registers (Linux's start_thread).
    e.regs = ck_registers{};
    e.regs.pc = p.exec_pc;
    e.regs.a[7] = p.exec_sp;
    p.exec_pc = p.exec_sp = 0;
    // And a reset FPU (Linux's flush_thread restores the null state: FPCR, FPSR and FPIAR
    // 0, the data registers NaNs): the old program's rounding mode and enabled exceptions
    // must not reach the new one.
    ck_fpu_registers reset{};
    for (uint8_t* r : reset.fp) {
      static constexpr uint8_t kNan[12] = {0x7f, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
      __builtin_memcpy(r, kNan, sizeof kNan);  // in place, not a call each
    }
    if (ak::set_exception_fpu(&reset) != CK_OK) ak::print("unix: pid {}: CK_EXCEPTION_FPU_SET refused\n", p.pid);
  }
  // Marked done in the frame itself: a thread written back before the resume takes effect
  // resumes as the call left it, not to make it again (emulator.cpp, Writeback::thread).
  e.address = kSystemCallDone;
  // Signals to act on (its own kill, a mask that unblocks one, a sigreturn, a wait a
  // signal ended): on its state as it leaves the call, in place when they allow it
  // (signal_delivery.h).
  bool registers = new_program;
  if (restart || p.sig.sigreturn != 0 || signal_ready(p)) {
    p.sig.formatvec = kTrapFormatvec;
    if (!act_in_place(p, e)) interrupt_self(p);
    registers = true;
  }
  // Most calls change d0 alone: the Cache Kernel sets it without reading the frame. The
  // lock goes first (written back after this, the thread resumes as the frame says).
  emulator_lock().release();
  if (registers)
    ak::resume(&e);
  else if (number == abi::kSchedYield)
    ak::resume_yielding(result);
  else
    ak::resume_with_result(result);
  emulator_lock().acquire(e.thread, processes().index_of(p));
}

bool writable_region(const Process& p, uint32_t va) {
  const Region* r = p.group().regions.find(page_down(va));
  return r != nullptr && (r->prot & abi::kPROT_WRITE) != 0;
}

// Searches of the mapping clock that cover the largest mapping cache (65,536 records,
// 2,048 a search: ck/abi.h's CK_E_NO_DESCRIPTOR).
constexpr uint32_t kSearchesPerTurn = 65536 / 2048;

[[noreturn]] void page_fault(Process& p, const ck_exception& e) {
  const uint32_t access = e.access & 0xff;
  const Touch touch = access == CK_ACCESS_WRITE     ? Touch::Write
                      : access == CK_ACCESS_EXECUTE ? Touch::Execute
                                                    : Touch::Read;
  uint32_t frame;
  uint32_t flags = 0;
  // The sigreturn trampolines' page, above every region: the same frame, read-only, in
  // every space, outside the page map (sigreturn_page.h).
  const bool trampolines =
      page_down(e.address) == sigreturn_page::kAddress && touch != Touch::Write && sigreturn_page::frame(&frame);
  if (!trampolines) {
    bool sigbus = false;
    const Region* r = nullptr;
    const int32_t s = resident_frame(p, e.address, touch, &frame, &sigbus, &r);
    if (s == -abi::kENOMEM) kill_by_signal(p, abi::kSIGKILL, e, "out of memory");
    if (s != 0 && sigbus) fault_signal(p, e, abi::kSIGBUS, abi::kBUS_ADRERR, e.address, "no mapping there allows it");
    // A region there that does not allow the access: SEGV_ACCERR; none: SEGV_MAPERR.
    if (s != 0)
      fault_signal(p, e, abi::kSIGSEGV,
                   p.group().regions.find(page_down(e.address)) != nullptr ? abi::kSEGV_ACCERR : abi::kSEGV_MAPERR,
                   e.address, "no mapping there allows it");
    flags = writable_now(*r, frame) ? CK_MAP_WRITE : 0;
    // A write to a page mapped read-only while shared: that mapping goes first.
    if (e.kind == CK_EXC_PROTECTION) unload_mapping_surely(p.group().space, page_down(e.address));
    // Recorded before the load (which resumes the thread when it succeeds): a fork or an
    // exec asks the Cache Kernel about this page's mapping (PageMap's load bits).
    p.group().pages.mark_loaded(page_down(e.address), flags != 0);
    note_fault(p, e.address, touch == Touch::Write, touch == Touch::Execute);
  }
  int32_t status = CK_OK;
  uint32_t crowded = 0;  // searches in a row that found only locked mappings
  for (int attempt = 0; attempt < 1000; ++attempt) {
    // The lock goes first: written back before the resume, the thread faults again.
    emulator_lock().release();
    status = ak::load_mapping_resume(page_down(e.address), frame, flags);
    emulator_lock().acquire(e.thread, processes().index_of(p));
    // Tables freed by unloading another space (or, with none to unload, a tick later,
    // when others may have let theirs go): again.
    if (status == CK_E_NO_TABLES) {
      if (!evict_space(&p)) emulator_lock().pause(processes().index_of(p), 1);
      continue;
    }
    // The mapping cache's clock looks at 2,048 records a search and the next search goes
    // on from there (ck/abi.h): where the emulator's and others' locked mappings lie
    // together, a search can meet only those. Searched again at once until the hand has
    // gone round the largest cache, then a tick at a time (a kernel may unlock some).
    if (status == CK_E_NO_DESCRIPTOR) {
      if (++crowded > kSearchesPerTurn) emulator_lock().pause(processes().index_of(p), 1);
      continue;
    }
    // Another thread of the process faulted on the same page and mapped it first (with
    // the frame and rights of that moment): that mapping goes and this one is loaded.
    if (status == CK_E_ALREADY_MAPPED) {
      unload_mapping_surely(p.group().space, page_down(e.address));
      continue;
    }
    if (status != CK_E_RETRY) break;
    drain_ring();  // the ring was full of writeback; read it and try again
  }
  // Never expected: what the Cache Kernel answered goes to the log with the kill.
  ak::print("unix: pid {}: CK_LOAD_MAPPING_RESUME of page {:#010x} (frame {:#010x}, flags {}) answered {}\n", p.pid,
            page_down(e.address), frame, flags, status);
  kill_by_signal(p, abi::kSIGKILL, e, "its page could not be mapped");
}

}  // namespace

[[noreturn]] void make_call_again(Process& p, ck_exception& e) {
  system_call(p, e);
  kill_by_signal(p, abi::kSIGKILL, e, "it could not be resumed");
}

void set_verbose(bool on) { g_verbose = on; }
void set_crash_at(uint32_t call) { g_crash_at = call; }

namespace {

// Once, at the first exception of a process: the frame is where ck/abi.h says (a thread
// written back in its handler is judged by it).
[[gnu::noinline]] void check_frame(const Process& p, const ck_exception& e) {
  g_frame_checked = true;
  if (&e != &exception_frame(processes().index_of(p)))
    ak::print("unix: the exception frame is not at its exception stack's top: displaced calls may go wrong\n");
}

// Every exception of a process's thread (a system call first: the one taken most).
// Returns only for an exception of the emulator's own threads, which it gives up.
void exception(ck_exception& e) {
  // Its place among the lock's waiters, should it wait: its thread's slot (the cookie of
  // its thread).
  if (!emulator_lock().try_acquire(e.thread))
    emulator_lock().wait(e.thread, e.thread_cookie < ProcessTable::kMax ? e.thread_cookie : kFirstThreadPlace - 1);
  Process* p = processes().by_thread(e.space, e.thread_cookie);
  if (p == nullptr || p->state != ProcessState::Running) {
    emulator_lock().release();
    ak::print("unix: {} in the emulator itself at pc {:#010x}, address {:#010x}\n",
              ck::StrView(ak::exception_kind_name(e.kind)), e.regs.pc, e.address);
    return;
  }
  if (!g_frame_checked) check_frame(*p, e);
  p->made_again = false;
  // A system call (trap #0) first: the exception a process takes most.
  if (e.kind == CK_EXC_TRAP && e.vector == 0) {
    system_call(*p, e);
    kill_by_signal(*p, abi::kSIGKILL, e, "it could not be resumed");
  }
  switch (e.kind) {
    case CK_EXC_TRAP:
      // trap #1..#14 are SIGILL on Linux/m68k, trap #15 (a breakpoint) SIGTRAP; si_addr
      // is the pc the trap left (past it), as Linux's trap_c gives a format 0 frame's.
      if (e.vector == 15) fault_signal(*p, e, abi::kSIGTRAP, abi::kTRAP_BRKPT, e.regs.pc, "a breakpoint trap");
      fault_signal(*p, e, abi::kSIGILL, abi::kILL_ILLTRP, e.regs.pc, "a trap that is not a system call");
    case CK_EXC_MAPPING:
      page_fault(*p, e);
    case CK_EXC_PROTECTION:
      // A write to a page its region lets it write: copy-on-write after a fork.
      if ((e.access & 0xff) == CK_ACCESS_WRITE && writable_region(*p, e.address)) page_fault(*p, e);
      fault_signal(*p, e, abi::kSIGSEGV, abi::kSEGV_ACCERR, e.address, "a write to a read-only page");
    case CK_EXC_BUS_ERROR:
      fault_signal(*p, e, abi::kSIGBUS, abi::kBUS_ADRERR, e.address, "a bus error");
    case CK_EXC_ADDRESS_ERROR:
      fault_signal(*p, e, abi::kSIGBUS, abi::kBUS_ADRALN, e.address, "an address error");
    case CK_EXC_ILLEGAL:
    case CK_EXC_FORMAT:
      fault_signal(*p, e, abi::kSIGILL, abi::kILL_ILLOPC, e.regs.pc, "an illegal instruction");
    case CK_EXC_PRIVILEGE:
      fault_signal(*p, e, abi::kSIGILL, abi::kILL_PRVOPC, e.regs.pc, "a privileged instruction");
    case CK_EXC_ZERO_DIVIDE:
      // The format 2 frame's instruction address: the divide's own (Linux's si_addr).
      fault_signal(*p, e, abi::kSIGFPE, abi::kFPE_INTDIV, e.address, "an integer divide by zero");
    case CK_EXC_CHECK:
    case CK_EXC_OVERFLOW:
      fault_signal(*p, e, abi::kSIGFPE, abi::kFPE_INTOVF, e.address, "a chk or trapv exception");
    case CK_EXC_FLOATING_POINT:
      if (e.vector == 11 || e.vector == 13)
        fault_signal(*p, e, abi::kSIGILL, abi::kILL_COPROC, e.regs.pc, "an unimplemented FPU instruction");
      fault_signal(*p, e, abi::kSIGFPE, fpe_code(e.vector), e.address, "a floating-point exception");
    case CK_EXC_TRACE:
      fault_signal(*p, e, abi::kSIGTRAP, abi::kTRAP_TRACE, e.regs.pc, "a trace exception");
    default:
      kill_by_signal(*p, abi::kSIGSEGV, e, "an exception it cannot take");
  }
}

}  // namespace
}  // namespace unixemu

// The emulator's exception entry (handler.h), in place of libak's.
extern "C" [[noreturn]] void ak_exception_entry(ck_exception* e) {
  unixemu::exception(*e);
  ak::unhandled_exception(*e);
}
