// The Linux/m68k ABI of processes (issue 18 item 1; paper §2.3: the emulator implements
// UNIX's process calls itself): their call numbers, clone's and wait's flags, the
// signals' numbers and default actions, how wait statuses and waitid's siginfo are
// encoded. Facts from Linux 6.1's uapi headers for m68k (asm/unistd_32.h, linux/sched.h,
// linux/wait.h, asm/signal.h, asm-generic/siginfo.h). Kept apart from linux_abi.h so that
// work on files and on processes does not edit the same lists.
#pragma once

#include <stdint.h>

namespace linux_abi {

enum ProcessSyscall : uint32_t {
  kFork = 2,
  kWaitpid = 7,
  kKill = 37,
  kSetpgid = 57,
  kSetsid = 66,
  kWait4 = 114,
  kClone = 120,
  kVfork = 190,
  kTkill = 222,
  kTgkill = 265,
  kWaitid = 277,
};

// clone's flags (linux/sched.h): the low byte is the signal sent to the parent at exit.
inline constexpr uint32_t kCLONE_VM = 0x100, kCLONE_FS = 0x200, kCLONE_FILES = 0x400, kCLONE_SIGHAND = 0x800,
                          kCLONE_PIDFD = 0x1000, kCLONE_PTRACE = 0x2000, kCLONE_VFORK = 0x4000, kCLONE_PARENT = 0x8000,
                          kCLONE_THREAD = 0x10000, kCLONE_NEWNS = 0x20000, kCLONE_SYSVSEM = 0x40000,
                          kCLONE_SETTLS = 0x80000, kCLONE_PARENT_SETTID = 0x100000, kCLONE_CHILD_CLEARTID = 0x200000,
                          kCLONE_DETACHED = 0x400000, kCLONE_UNTRACED = 0x800000, kCLONE_CHILD_SETTID = 0x1000000,
                          kCLONE_IO = 0x80000000u;
inline constexpr uint32_t kCLONE_EXIT_SIGNAL = 0xff;
// Namespaces and cgroups: refused (EINVAL here, as Linux without them configured would
// say EINVAL or EPERM).
inline constexpr uint32_t kCLONE_NAMESPACES = 0x7e020080u;  // NEWTIME, NEWNS, NEWCGROUP, NEWUTS, NEWIPC,
                                                            // NEWUSER, NEWPID, NEWNET

// futex's operations and flags (linux/futex.h).
inline constexpr uint32_t kFUTEX_WAIT = 0, kFUTEX_WAKE = 1, kFUTEX_REQUEUE = 3, kFUTEX_CMP_REQUEUE = 4,
                          kFUTEX_WAKE_OP = 5, kFUTEX_WAIT_BITSET = 9, kFUTEX_WAKE_BITSET = 10;
// The priority-inheritance calls and the word's bits (Linux's uapi futex.h).
inline constexpr uint32_t kFUTEX_LOCK_PI = 6, kFUTEX_UNLOCK_PI = 7, kFUTEX_TRYLOCK_PI = 8, kFUTEX_LOCK_PI2 = 13;
inline constexpr uint32_t kFUTEX_WAITERS = 0x80000000u, kFUTEX_OWNER_DIED = 0x40000000u, kFUTEX_TID_MASK = 0x3fffffffu;
inline constexpr uint32_t kFUTEX_PRIVATE_FLAG = 128, kFUTEX_CLOCK_REALTIME = 256;
inline constexpr uint32_t kFUTEX_BITSET_MATCH_ANY = 0xffffffffu;

// wait4/waitpid/waitid options (linux/wait.h).
inline constexpr uint32_t kWNOHANG = 1, kWUNTRACED = 2, kWSTOPPED = 2, kWEXITED = 4, kWCONTINUED = 8,
                          kWNOWAIT = 0x01000000, kWNOTHREAD = 0x20000000, kWALL = 0x40000000, kWCLONE = 0x80000000u;
// waitid's idtype.
inline constexpr uint32_t kP_ALL = 0, kP_PID = 1, kP_PGID = 2, kP_PIDFD = 3;

// Signals (asm/signal.h; m68k numbers them as i386 does).
inline constexpr uint32_t kSIGHUP = 1, kSIGINT = 2, kSIGQUIT = 3, kSIGABRT = 6, kSIGUSR1 = 10, kSIGUSR2 = 12,
                          kSIGPIPE = 13, kSIGALRM = 14, kSIGTERM = 15, kSIGSTKFLT = 16, kSIGCHLD = 17, kSIGCONT = 18,
                          kSIGTSTP = 20, kSIGTTIN = 21, kSIGTTOU = 22, kSIGURG = 23, kSIGXCPU = 24, kSIGXFSZ = 25,
                          kSIGVTALRM = 26, kSIGPROF = 27, kSIGWINCH = 28, kSIGIO = 29, kSIGPWR = 30, kSIGSYS = 31;
inline constexpr uint32_t kSIG_DFL = 0, kSIG_IGN = 1;
inline constexpr uint32_t kSA_NOCLDWAIT = 2;  // sa_flags

// waitid's siginfo for SIGCHLD (asm-generic/siginfo.h on a 32-bit machine): 128 bytes.
namespace sigchld_info_layout {
inline constexpr uint32_t kBytes = 128;
inline constexpr uint32_t kSigno = 0, kErrno = 4, kCode = 8, kPid = 12, kUid = 16, kStatus = 20;
}  // namespace sigchld_info_layout
inline constexpr uint32_t kCLD_EXITED = 1, kCLD_KILLED = 2, kCLD_DUMPED = 3;
inline constexpr uint32_t kRusageBytes = 72;  // struct rusage: 2 timevals and 14 longs

}  // namespace linux_abi
