// The Linux/m68k user ABI the emulator speaks (DESIGN.md §6; paper §2.3: a UNIX
// program's system calls are traps its emulator receives): call numbers, errno values,
// flags and the byte layouts of the structures it writes into programs' memory. Facts
// from Linux 6.1's uapi headers for m68k (Debian's linux-libc-dev-m68k-cross), the
// layouts measured with m68k-linux-gnu-gcc (m68k aligns longwords to 2 bytes).
#pragma once

#include <stdint.h>

namespace linux_abi {

// System call numbers (arch/m68k/kernel/syscalls/syscall.tbl).
enum Syscall : uint32_t {
  kExit = 1,
  kPipe = 42,
  kSelect = 82,
  kNewselect = 142,
  kPoll = 168,
  kPselect6 = 301,
  kPpoll = 302,
  kPipe2 = 327,
  kPselect6Time64 = 413,
  kPpollTime64 = 414,
  kRead = 3,
  kWrite = 4,
  kOpen = 5,
  kClose = 6,
  kExecve = 11,
  kChdir = 12,
  kTime = 13,
  kLseek = 19,
  kGetpid = 20,
  kGetuid = 24,
  kAccess = 33,
  kDup = 41,
  kBrk = 45,
  kGetgid = 47,
  kGeteuid = 49,
  kGetegid = 50,
  kIoctl = 54,
  kFcntl = 55,
  kUmask = 60,
  kDup2 = 63,
  kGetppid = 64,
  kGetpgrp = 65,
  kSetrlimit = 75,
  kGetrlimit = 76,
  kGettimeofday = 78,
  kReadlink = 85,
  kMmap = 90,
  kMunmap = 91,
  kStat = 106,
  kLstat = 107,
  kFstat = 108,
  kSysinfo = 116,
  kUname = 122,
  kMprotect = 125,
  kGetpgid = 132,
  kFchdir = 133,
  kLlseek = 140,
  kReadv = 145,
  kWritev = 146,
  kGetsid = 147,
  kSchedYield = 158,
  kNice = 34,
  kGetpriority = 96,
  kSetpriority = 97,
  kNanosleep = 162,
  kClockNanosleep = 262,
  kClockNanosleepTime64 = 407,
  kMremap = 163,
  kRtSigaction = 174,
  kRtSigprocmask = 175,
  kPread64 = 180,
  kPwrite64 = 181,
  kGetcwd = 183,
  kUgetrlimit = 191,
  kMmap2 = 192,
  kStat64 = 195,
  kLstat64 = 196,
  kFstat64 = 197,
  kGetuid32 = 199,
  kGetgid32 = 200,
  kGeteuid32 = 201,
  kGetegid32 = 202,
  kGetdents64 = 220,
  kGettid = 221,
  kFutex = 235,
  kMadvise = 238,
  kFcntl64 = 239,
  kExitGroup = 247,
  kSetTidAddress = 253,
  kClockGettime = 260,
  kClockGetres = 261,
  kOpenat = 288,
  kFstatat64 = 293,
  kReadlinkat = 298,
  kFaccessat = 300,
  kSetRobustList = 304,
  kGetRobustList = 305,
  kDup3 = 326,
  kGetThreadArea = 333,
  kSetThreadArea = 334,
  kPrlimit64 = 339,
  kGetrandom = 352,
  kFutexTime64 = 422,
  kStatx = 379,
  kRseq = 384,
  kClockGettime64 = 403,
  kClockGetresTime64 = 406,
  kFaccessat2 = 439,
  kCreat = 8,
  kLink = 9,
  kUnlink = 10,
  kChmod = 15,
  kChown16 = 16,
  kSync = 36,
  kRename = 38,
  kMkdir = 39,
  kRmdir = 40,
  kSymlink = 83,
  kTruncate = 92,
  kFtruncate = 93,
  kFchmod = 94,
  kFchown16 = 95,
  kStatfs = 99,
  kFstatfs = 100,
  kFsync = 118,
  kFdatasync = 148,
  kLchown16 = 182,
  kTruncate64 = 193,
  kFtruncate64 = 194,
  kChown32 = 198,
  kFchown32 = 207,
  kLchown32 = 212,
  kStatfs64 = 263,
  kFstatfs64 = 264,
  kMkdirat = 289,
  kFchownat = 291,
  kUnlinkat = 294,
  kRenameat = 295,
  kLinkat = 296,
  kSymlinkat = 297,
  kFchmodat = 299,
  kUtimensat = 316,
  kSyncfs = 343,
  kRenameat2 = 351,
  kUtimensatTime64 = 412,
};

// errno values (asm-generic/errno-base.h, errno.h); calls return -errno.
enum Errno : int32_t {
  kEPERM = 1,
  kENOENT = 2,
  kESRCH = 3,
  kEINTR = 4,
  kEIO = 5,
  kENXIO = 6,
  kE2BIG = 7,
  kENOEXEC = 8,
  kEBADF = 9,
  kECHILD = 10,
  kEAGAIN = 11,
  kENOMEM = 12,
  kEACCES = 13,
  kEFAULT = 14,
  kEBUSY = 16,
  kEEXIST = 17,
  kEXDEV = 18,
  kENODEV = 19,
  kENOTDIR = 20,
  kEISDIR = 21,
  kEINVAL = 22,
  kENFILE = 23,
  kEMFILE = 24,
  kENOTTY = 25,
  kEFBIG = 27,
  kENOSPC = 28,
  kESPIPE = 29,
  kEROFS = 30,
  kEMLINK = 31,
  kEPIPE = 32,
  kERANGE = 34,
  kEDEADLK = 35,
  kENAMETOOLONG = 36,
  kENOSYS = 38,
  kENOTEMPTY = 39,
  kELOOP = 40,
  kEOVERFLOW = 75,
  kEOPNOTSUPP = 95,
  kETIMEDOUT = 110,
};

// open flags (asm/fcntl.h for m68k overrides O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE).
inline constexpr uint32_t kO_ACCMODE = 03;
inline constexpr uint32_t kO_RDONLY = 0;
inline constexpr uint32_t kO_WRONLY = 01;
inline constexpr uint32_t kO_RDWR = 02;
inline constexpr uint32_t kO_CREAT = 0100;
inline constexpr uint32_t kO_EXCL = 0200;
inline constexpr uint32_t kO_NOCTTY = 0400;
inline constexpr uint32_t kO_TRUNC = 01000;
inline constexpr uint32_t kO_APPEND = 02000;
inline constexpr uint32_t kO_NONBLOCK = 04000;
inline constexpr uint32_t kO_DIRECTORY = 040000;
inline constexpr uint32_t kO_NOFOLLOW = 0100000;
inline constexpr uint32_t kO_LARGEFILE = 0400000;
inline constexpr uint32_t kO_CLOEXEC = 02000000;
inline constexpr uint32_t kO_PATH = 010000000;
inline constexpr uint32_t kO_TMPFILE = 020000000;

// *at() calls.
inline constexpr int32_t kAT_FDCWD = -100;
inline constexpr uint32_t kAT_SYMLINK_NOFOLLOW = 0x100;
inline constexpr uint32_t kAT_EACCESS = 0x200;
inline constexpr uint32_t kAT_NO_AUTOMOUNT = 0x800;
inline constexpr uint32_t kAT_EMPTY_PATH = 0x1000;
inline constexpr uint32_t kAT_REMOVEDIR = 0x200;
inline constexpr uint32_t kAT_SYMLINK_FOLLOW = 0x400;
// utimensat's special nanoseconds.
inline constexpr uint32_t kUTIME_NOW = (1u << 30) - 1, kUTIME_OMIT = (1u << 30) - 2;
// st_mode's set-id and sticky bits.
inline constexpr uint32_t kS_ISUID = 04000, kS_ISGID = 02000, kS_ISVTX = 01000;
// statfs: the magic numbers of tmpfs and proc.
inline constexpr uint32_t kTMPFS_MAGIC = 0x01021994, kPROC_SUPER_MAGIC = 0x9fa0;
namespace statfs64_layout {  // struct statfs64 (asm-generic/statfs.h), 84 bytes; struct statfs: 64
inline constexpr uint32_t kBytes = 84, kType = 0, kBsize = 4, kBlocks = 8, kBfree = 16, kBavail = 24, kFiles = 32,
                          kFfree = 40, kFsid = 48, kNamelen = 56, kFrsize = 60, kFlags = 64;
inline constexpr uint32_t kStatfsBytes = 64;  // the old struct statfs: every field 32 bits
}  // namespace statfs64_layout
inline constexpr uint32_t kAT_STATX_SYNC_TYPE = 0x6000;

// access() modes.
inline constexpr uint32_t kF_OK = 0, kX_OK = 1, kW_OK = 2, kR_OK = 4;

// fcntl commands and descriptor flags.
inline constexpr uint32_t kF_DUPFD = 0;
inline constexpr uint32_t kF_GETFD = 1;
inline constexpr uint32_t kF_SETFD = 2;
inline constexpr uint32_t kF_GETFL = 3;
inline constexpr uint32_t kF_SETFL = 4;
inline constexpr uint32_t kF_DUPFD_CLOEXEC = 1030;
inline constexpr uint32_t kFD_CLOEXEC = 1;

// lseek whence.
inline constexpr uint32_t kSEEK_SET = 0, kSEEK_CUR = 1, kSEEK_END = 2;

// File types and permission bits (st_mode).
inline constexpr uint32_t kS_IFMT = 0170000;
inline constexpr uint32_t kS_IFSOCK = 0140000;
inline constexpr uint32_t kS_IFLNK = 0120000;
inline constexpr uint32_t kS_IFREG = 0100000;
inline constexpr uint32_t kS_IFDIR = 0040000;
inline constexpr uint32_t kS_IFCHR = 0020000;
inline constexpr uint32_t kS_IFIFO = 0010000;

// getdents64 d_type.
inline constexpr uint8_t kDT_CHR = 2, kDT_DIR = 4, kDT_REG = 8, kDT_LNK = 10;

// mmap and friends (asm-generic/mman-common.h).
inline constexpr uint32_t kPROT_READ = 1, kPROT_WRITE = 2, kPROT_EXEC = 4;
inline constexpr uint32_t kMAP_SHARED = 0x01;
inline constexpr uint32_t kMAP_PRIVATE = 0x02;
inline constexpr uint32_t kMAP_SHARED_VALIDATE = 0x03;
inline constexpr uint32_t kMAP_TYPE = 0x0f;
inline constexpr uint32_t kMAP_FIXED = 0x10;
inline constexpr uint32_t kMAP_ANONYMOUS = 0x20;
inline constexpr uint32_t kMAP_GROWSDOWN = 0x0100;
inline constexpr uint32_t kMAP_DENYWRITE = 0x0800;
inline constexpr uint32_t kMAP_EXECUTABLE = 0x1000;
inline constexpr uint32_t kMAP_LOCKED = 0x2000;
inline constexpr uint32_t kMAP_NORESERVE = 0x4000;
inline constexpr uint32_t kMAP_POPULATE = 0x8000;
inline constexpr uint32_t kMAP_NONBLOCK = 0x10000;
inline constexpr uint32_t kMAP_STACK = 0x20000;
inline constexpr uint32_t kMAP_FIXED_NOREPLACE = 0x100000;
inline constexpr uint32_t kMREMAP_MAYMOVE = 1, kMREMAP_FIXED = 2, kMREMAP_DONTUNMAP = 4;
inline constexpr uint32_t kMADV_NORMAL = 0, kMADV_RANDOM = 1, kMADV_SEQUENTIAL = 2, kMADV_WILLNEED = 3,
                          kMADV_DONTNEED = 4, kMADV_FREE = 8;

// ioctl requests (asm-generic/ioctls.h).
inline constexpr uint32_t kTCGETS = 0x5401;
inline constexpr uint32_t kTCSETS = 0x5402;
inline constexpr uint32_t kTCSETSW = 0x5403;
inline constexpr uint32_t kTCSETSF = 0x5404;
inline constexpr uint32_t kTIOCGPGRP = 0x540f;
inline constexpr uint32_t kFIONREAD = 0x541b;
inline constexpr uint32_t kTIOCGWINSZ = 0x5413;
inline constexpr uint32_t kTIOCSWINSZ = 0x5414;

// Clocks.
inline constexpr uint32_t kCLOCK_REALTIME = 0, kCLOCK_MONOTONIC = 1, kCLOCK_PROCESS_CPUTIME_ID = 2,
                          kCLOCK_THREAD_CPUTIME_ID = 3, kCLOCK_MONOTONIC_RAW = 4, kCLOCK_REALTIME_COARSE = 5,
                          kCLOCK_MONOTONIC_COARSE = 6, kCLOCK_BOOTTIME = 7;

// Resource limits (getrlimit; asm-generic/resource.h).
inline constexpr uint32_t kRLIMIT_STACK = 3, kRLIMIT_NOFILE = 7, kRLIMIT_SIGPENDING = 11, kRLIM_NLIMITS = 16;
inline constexpr uint32_t kRLIM_INFINITY = 0xffffffffu;

// getrandom flags.
inline constexpr uint32_t kGRND_NONBLOCK = 1, kGRND_RANDOM = 2, kGRND_INSECURE = 4;

// statx mask bits.
inline constexpr uint32_t kSTATX_BASIC_STATS = 0x7ff;

// Auxiliary vector entries (include/uapi/linux/auxvec.h).
enum Aux : uint32_t {
  kAT_NULL = 0,
  kAT_PHDR = 3,
  kAT_PHENT = 4,
  kAT_PHNUM = 5,
  kAT_PAGESZ = 6,
  kAT_BASE = 7,
  kAT_FLAGS = 8,
  kAT_ENTRY = 9,
  kAT_UID = 11,
  kAT_EUID = 12,
  kAT_GID = 13,
  kAT_EGID = 14,
  kAT_HWCAP = 16,
  kAT_CLKTCK = 17,
  kAT_SECURE = 23,
  kAT_RANDOM = 25,
  kAT_EXECFN = 31,
};

// Signals (asm/signal.h): numbers 1..64; rt_sigaction's struct is the kernel's
// (include/linux/signal_types.h): handler, flags, restorer (m68k defines
// __ARCH_HAS_SA_RESTORER), then the 64-bit mask at offset 12; rt_sigprocmask's how.
inline constexpr uint32_t kSignals = 64, kSigactionBytes = 20, kSigsetBytes = 8;
inline constexpr uint32_t kSIG_BLOCK = 0, kSIG_UNBLOCK = 1, kSIG_SETMASK = 2;
inline constexpr uint32_t kSIGSTOP = 19;
inline constexpr uint32_t kSysinfoBytes = 64;  // struct sysinfo: uptime 0, loads 4, totalram 16,
                                               // freeram 20, procs 40 (u16), mem_unit 52
// Signals named in exit statuses (asm/signal.h).
inline constexpr uint32_t kSIGILL = 4, kSIGTRAP = 5, kSIGBUS = 7, kSIGFPE = 8, kSIGKILL = 9, kSIGSEGV = 11;

// Where a process's stack ends (TASK_SIZE and STACK_TOP for the 68040 with its MMU).
inline constexpr uint32_t kStackTop = 0xf0000000u;
inline constexpr uint32_t kClockTicks = 100;  // USER_HZ: AT_CLKTCK, times()

// Byte layouts written into a program's memory (offsets measured with m68k-linux-gnu-gcc).
namespace stat64_layout {  // struct stat64 (asm/stat.h), 92 bytes
inline constexpr uint32_t kBytes = 92;
inline constexpr uint32_t kDev = 0, kShortIno = 10, kMode = 14, kNlink = 18, kUid = 22, kGid = 26, kRdev = 30,
                          kSize = 40, kBlksize = 48, kBlocks = 52, kAtime = 60, kMtime = 68, kCtime = 76, kIno = 84;
}  // namespace stat64_layout
namespace statx_layout {  // struct statx (linux/stat.h), 256 bytes
inline constexpr uint32_t kBytes = 256;
inline constexpr uint32_t kMask = 0, kBlksize = 4, kAttributes = 8, kNlink = 16, kUid = 20, kGid = 24, kMode = 28,
                          kIno = 32, kSize = 40, kBlocks = 48, kAttributesMask = 56, kAtime = 64, kBtime = 80,
                          kCtime = 96, kMtime = 112, kRdevMajor = 128, kRdevMinor = 132, kDevMajor = 136,
                          kDevMinor = 140;
}  // namespace statx_layout
namespace dirent64_layout {  // struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name
inline constexpr uint32_t kIno = 0, kOff = 8, kReclen = 16, kType = 18, kName = 19;
}  // namespace dirent64_layout
inline constexpr uint32_t kUtsnameField = 65;         // struct new_utsname: 6 fields of 65 bytes
inline constexpr uint32_t kTermiosBytes = 36;         // struct termios (asm-generic/termbits.h)
inline constexpr uint32_t kWinsizeBytes = 8;          // struct winsize: 4 unsigned shorts
inline constexpr uint32_t kPathMax = 4096;            // PATH_MAX, with the NUL
inline constexpr uint32_t kNameMax = 255;             // NAME_MAX
inline constexpr uint32_t kIovMax = 1024;             // UIO_MAXIOV
inline constexpr uint32_t kSymlinkFollowsMax = 40;    // MAXSYMLINKS
inline constexpr uint32_t kMaxRwCount = 0x7ffff000u;  // MAX_RW_COUNT on 32 bits

}  // namespace linux_abi
