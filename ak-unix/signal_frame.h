// The Linux/m68k signal frames (issue 18 item 3; paper §2.3 leaves signals to the
// emulator): what a caught signal puts on the user stack and what sigreturn and
// rt_sigreturn take back, byte for byte as Linux 6.1 (arch/m68k/kernel/signal.c) lays
// them out, so that glibc's handlers work unmodified. Pure: built into and parsed from
// byte buffers (big-endian, m68k's 2-byte alignment of longs), host-tested.
//
//   struct sigframe (312 bytes)         struct rt_sigframe (684 bytes)
//     0 pretcode -> retcode               0 pretcode -> retcode
//     4 sig                               4 sig
//     8 code (the vector offset)          8 pinfo -> info
//    12 psc -> sc                        12 puc -> uc
//    16 retcode: moveq #119,d0; trap #0  16 retcode: moveq #~173,d0; not.b d0; trap #0
//    24 extramask (signals 33-64)        24 info (siginfo_t, 128 bytes)
//    28 sc (struct sigcontext, 284)     152 uc (struct ucontext, 532)
//
// The handler is entered as a C function: its return address is pretcode, its argument
// (or arguments: sig, info, uc) above it; it returns into retcode, whose trap is the
// sigreturn. Linux/m68k takes no sa_restorer (glibc sets none): retcode is the
// trampoline. The emulator points pretcode at the same instructions in a page of their
// own instead (sigreturn_page.h: no CK_SYNC_CODE per signal), retcode still written. The
// frame starts 8-byte aligned below the stack pointer.
//
// The FPU: a frame holds the 68040's state as fsave gives it: a null frame (first byte
// 0) when no FPU state is saved, else an idle frame (version 0x41, size 0) and the
// registers (the plain frame fp0-fp1 and the control registers, the rt frame all eight).
// Restoring a null frame resets the FPU as frestore does; busy or unimplemented-
// instruction frames (sizes 0x28, 0x60) are never written here and are refused.
#pragma once

#include <stdint.h>

#include "ck/abi.h"

namespace unixemu::signal_frame {

inline constexpr uint32_t kFrameBytes = 312, kRtFrameBytes = 684;
inline constexpr uint32_t kMcontextVersion = 2;
inline constexpr uint8_t kFsaveVersion = 0x41;  // the 68040's fsave frames

// siginfo_t's first fields and the three words of its union that the emulator fills
// (asm-generic/siginfo.h, 32-bit: si_pid/si_addr at 12, si_uid at 16, si_status at 20).
struct SigInfo {
  uint32_t signo = 0;
  int32_t code = 0;
  uint32_t word[3] = {};
};
inline constexpr uint32_t kSigInfoBytes = 128;
void put_siginfo(const SigInfo& info, uint8_t* out);  // 128 bytes

// stack_t (ss_sp, ss_flags, ss_size): 12 bytes.
struct AltStack {
  uint32_t sp = 0, flags = 0, size = 0;
};

// What the handler's return goes back to. The registers and the FPU are the thread's
// own, referred to (not copied: a delivery's path, issue 18 item 11).
struct Context {
  const ck_registers& regs;  // a[7] is the user stack pointer
  const ck_fpu_registers& fpu;
  bool fpu_saved = false;  // false: a null fsave frame (the FPU state is not in the frame)
  uint16_t formatvec = 0;  // the exception's frame format << 12 | vector offset
  uint64_t mask = 0;       // the signal mask to restore, bit n-1 for signal n
  uint32_t return_to = 0;  // pretcode: where the handler returns; 0: the frame's retcode (Linux's)
  // Nonzero: the FPU registers are not given (`fpu` is not read). The handler is entered
  // through the page's entry stub (entry_offset), which stores them into the frame in
  // user mode and jumps to this address, which the frame holds in a word Linux leaves
  // unwritten (the plain frame's second retcode longword, the rt frame's uc_extra: a
  // format $0 exception has no extra words). The fsave frame is idle, as when given.
  uint32_t stub_handler = 0;
};

// The trampolines, 8 bytes each as a frame's retcode holds them (the plain one's
// `moveq #119,d0; trap #0`, the rt one's `moveq #~173,d0; not.b d0; trap #0`, the rest
// zero), and the entry stubs, user code a handler is entered through when the FPU
// registers were not read for its frame (Context::stub_handler): entered with the
// stack pointer at the frame and every register as the signal found it, a stub stores
// the FPU's control registers and data registers (the plain frame FP0-FP1, the rt frame
// all eight) where the frame holds them, touching no other register and not the
// condition codes, and jumps to the handler through the frame's word. Then the restore
// stubs, user code a plain sigreturn resumes through when the FPU registers its frame
// gives were not set through the Cache Kernel: entered with the stack pointer at the
// frame's sc_pc (kRestoreSp) and every other register as the sigreturn restored it, a
// stub loads FP0-FP1 and the control registers from the frame and returns by RTD, which
// pops sc_pc and leaves the stack pointer at the restored one. Its displacement is a
// constant, so there is one stub for each distance from the frame to that stack pointer
// a frame put below it has (frame_address: 312 to 319; restore_offset). put_trampolines
// writes them all into `out` (kTrampolinesBytes), each at its offset.
inline constexpr uint32_t kRestoreFirst = 312, kRestoreStubs = 8, kRestoreStubBytes = 16;
inline constexpr uint32_t kTrampolinesBytes = 52 + kRestoreStubs * kRestoreStubBytes;
inline constexpr uint32_t trampoline_offset(bool rt) { return rt ? 8 : 0; }
inline constexpr uint32_t entry_offset(bool rt) { return rt ? 34 : 16; }
// The stub for a restored stack pointer `distance` bytes above the frame; 0: none.
inline constexpr uint32_t restore_offset(uint32_t distance) {
  return distance - kRestoreFirst < kRestoreStubs ? 52 + (distance - kRestoreFirst) * kRestoreStubBytes : 0;
}
inline constexpr uint32_t kRestoreSp = 54;  // the plain frame's sc_pc
void put_trampolines(uint8_t* out);
// Where a frame built with stub_handler holds the handler's address (frame-relative).
inline constexpr uint32_t kPlainStubHandler = 20, kRtStubHandler = 576;

// Where a frame for a handler goes: 8-byte aligned below `sp`.
uint32_t frame_address(uint32_t sp, bool rt);
inline uint32_t frame_bytes(bool rt) { return rt ? kRtFrameBytes : kFrameBytes; }

// Writes the frame (frame_bytes(rt) bytes, to be copied to `frame_va`) for `signal`;
// `altstack` is what uc_stack records (rt only). The handler then runs with pc at its
// address and a7 = frame_va, other registers as they were (as Linux does).
void build(bool rt, uint32_t frame_va, uint32_t signal, const Context& c, const SigInfo& info, const AltStack& altstack,
           uint8_t* out);

// What a sigreturn takes back from a frame. Registers the plain frame does not hold
// (d2-d7, a2-a6, fp2-fp7) are the current ones, which the handler preserved as the C
// calling convention asks (Linux relies on the same). The status register's system
// byte (trace, supervisor, interrupt mask) is never taken from the frame: only the
// condition codes (Linux: sr = (sr & 0xff00) | (frame's & 0xff)).
struct Restored {
  ck_registers regs{};
  ck_fpu_registers fpu{};
  uint64_t mask = 0;
  AltStack altstack{};  // rt only: uc_stack, for sigaltstack's state
};
// The frame's bytes as read from the stack (usp - 4 at the sigreturn). False for a frame
// Linux would refuse with SIGSEGV: an mcontext version other than 2, an exception frame
// format other than 0 (the emulator writes format 0 only, so no format's extra words
// exist to restore), an fsave frame that is not null or idle.
bool parse(bool rt, const uint8_t* frame, const ck_registers& current, const ck_fpu_registers& current_fpu,
           Restored* out);

// The same on the thread's registers and FPU themselves (`regs`, `fpu`: the current ones,
// changed into the restored ones; the mask and, rt only, uc_stack to `mask`, `altstack`).
// A refused frame changes nothing. parse is this on a copy.
bool parse_into(bool rt, const uint8_t* frame, ck_registers& regs, ck_fpu_registers& fpu, uint64_t* mask,
                AltStack* altstack);

// Whether a plain frame's sigreturn leaves `fpu` (the current FPU) as it is: an idle fsave
// frame whose FP0-FP1 and control registers are `fpu`'s (FP2-FP7 are never restored from a
// plain frame). A handler that did no floating point returns so: the restore then need
// not reach the Cache Kernel (issue 18 item 11). A frame parse_into refuses may answer
// either way.
bool plain_frame_keeps_fpu(const uint8_t* frame, const ck_fpu_registers& fpu);
// Whether a plain frame's fsave frame is idle: its sigreturn sets FP0-FP1 and the control
// registers from it (not a reset, not a refusal).
bool plain_frame_saves_fpu(const uint8_t* frame);
// Whether FP0-FP1 and the control registers of `a` and `b` are the same.
bool same_plain_fpu(const ck_fpu_registers& a, const ck_fpu_registers& b);

// The FPU as frestore of a null frame leaves it: control registers clear, every data
// register a non-signalling NaN.
ck_fpu_registers reset_fpu();

}  // namespace unixemu::signal_frame
