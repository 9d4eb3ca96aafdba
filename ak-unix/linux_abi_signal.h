// The Linux/m68k ABI of signals (issue 18 item 3): the signal calls' numbers, sigaction's
// flags, sigaltstack's, siginfo's codes, and the kernel's internal restart codes the
// emulator's calls return to its system-call path. Facts from Linux 6.1
// (arch/m68k/kernel/syscalls/syscall.tbl, asm-generic/signal-defs.h, asm/signal.h,
// asm-generic/siginfo.h, linux/errno.h). Kept apart from linux_abi.h and
// linux_abi_process.h so that the signals work does not edit the same lists.
#pragma once

#include <stdint.h>

namespace linux_abi {

enum SignalSyscall : uint32_t {
  kAlarm = 27,
  kPause = 29,
  kSetitimer = 104,
  kGetitimer = 105,
  kSigsuspend = 72,
  kSigpending = 73,
  kSigreturn = 119,
  kSigprocmask = 126,
  kRtSigreturn = 173,
  kRtSigpending = 176,
  kRtSigtimedwait = 177,
  kRtSigqueueinfo = 178,
  kRtSigsuspend = 179,
  kSigaltstack = 186,
  kRtTgsigqueueinfo = 331,
  kRtSigtimedwaitTime64 = 421,
};

// sa_flags.
inline constexpr uint32_t kSA_NOCLDSTOP = 1, kSA_SIGINFO = 4, kSA_ONSTACK = 0x08000000, kSA_RESTART = 0x10000000,
                          kSA_NODEFER = 0x40000000, kSA_RESETHAND = 0x80000000u;
// The offsets of rt_sigaction's struct on m68k (handler, flags, restorer, mask).
inline constexpr uint32_t kSaHandler = 0, kSaFlags = 4, kSaMask = 12;

// sigaltstack: stack_t is ss_sp, ss_flags, ss_size (12 bytes).
inline constexpr uint32_t kSS_ONSTACK = 1, kSS_DISABLE = 2, kSS_AUTODISARM = 0x80000000u;
inline constexpr uint32_t kMINSIGSTKSZ = 2048, kStackTBytes = 12;

// si_code values.
inline constexpr int32_t kSI_USER = 0, kSI_KERNEL = 0x80, kSI_QUEUE = -1, kSI_TKILL = -6;
inline constexpr int32_t kILL_ILLOPC = 1, kILL_ILLTRP = 4, kILL_PRVOPC = 5, kILL_COPROC = 7;
inline constexpr int32_t kFPE_INTDIV = 1, kFPE_INTOVF = 2, kFPE_FLTDIV = 3, kFPE_FLTOVF = 4, kFPE_FLTUND = 5,
                         kFPE_FLTRES = 6, kFPE_FLTINV = 7;
inline constexpr int32_t kSEGV_MAPERR = 1, kSEGV_ACCERR = 2;
inline constexpr int32_t kBUS_ADRALN = 1, kBUS_ADRERR = 2;
inline constexpr int32_t kTRAP_BRKPT = 1, kTRAP_TRACE = 2;
inline constexpr int32_t kCLD_STOPPED = 5, kCLD_CONTINUED = 6;

// What an interrupted call returns inside the kernel (linux/errno.h), never seen by a
// program: the signal path makes it -EINTR or makes the call again. ERESTARTSYS: made
// again unless a handler without SA_RESTART runs; ERESTARTNOHAND: made again only when
// no handler runs (poll, select, pause, sigsuspend).
inline constexpr int32_t kERESTARTSYS = 512, kERESTARTNOINTR = 513, kERESTARTNOHAND = 514;

}  // namespace linux_abi
