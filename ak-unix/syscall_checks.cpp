// System-call argument checks (syscall_checks.h).
#include "syscall_checks.h"

#include "linux_abi.h"
#include "regions.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {
bool page_aligned(uint32_t a) { return (a & (kPageBytes - 1)) == 0; }
constexpr uint32_t kProtBits = abi::kPROT_READ | abi::kPROT_WRITE | abi::kPROT_EXEC;
}  // namespace

bool user_range(uint32_t start, uint32_t bytes, uint32_t* end) {
  const uint32_t rounded = page_up(bytes);
  if (bytes != 0 && rounded == 0) return false;
  if (start + rounded < start || start + rounded > abi::kStackTop) return false;
  *end = start + rounded;
  return true;
}

int32_t check_mmap(uint32_t addr, uint32_t length, uint32_t prot, uint32_t flags, uint32_t* bytes) {
  if (length == 0 || (prot & ~kProtBits) != 0) return -abi::kEINVAL;
  const uint32_t type = flags & abi::kMAP_TYPE;
  if (type != abi::kMAP_SHARED && type != abi::kMAP_PRIVATE && type != abi::kMAP_SHARED_VALIDATE) return -abi::kEINVAL;
  *bytes = page_up(length);
  if (*bytes == 0) return -abi::kENOMEM;
  const bool fixed = (flags & (abi::kMAP_FIXED | abi::kMAP_FIXED_NOREPLACE)) != 0;
  if (fixed && !page_aligned(addr)) return -abi::kEINVAL;
  return 0;
}

int32_t check_munmap(uint32_t addr, uint32_t length, uint32_t* end) {
  if (!page_aligned(addr) || length == 0 || !user_range(addr, length, end)) return -abi::kEINVAL;
  return 0;
}

int32_t check_mprotect(uint32_t addr, uint32_t length, uint32_t prot, uint32_t* end) {
  if (!page_aligned(addr) || (prot & ~kProtBits) != 0) return -abi::kEINVAL;
  if (!user_range(addr, length, end)) return -abi::kENOMEM;
  return 0;
}

int32_t check_madvise(uint32_t addr, uint32_t length, uint32_t advice, uint32_t* end) {
  if (!page_aligned(addr) || !user_range(addr, length, end)) return -abi::kEINVAL;
  const bool known = advice == abi::kMADV_NORMAL || advice == abi::kMADV_RANDOM || advice == abi::kMADV_SEQUENTIAL ||
                     advice == abi::kMADV_WILLNEED || advice == abi::kMADV_DONTNEED || advice == abi::kMADV_FREE;
  return known ? 0 : -abi::kEINVAL;
}

int32_t check_mremap(uint32_t old_addr, uint32_t old_length, uint32_t new_length, uint32_t flags, uint32_t* old_bytes,
                     uint32_t* new_bytes) {
  if (!page_aligned(old_addr) || (flags & ~(abi::kMREMAP_MAYMOVE | abi::kMREMAP_FIXED | abi::kMREMAP_DONTUNMAP)) != 0)
    return -abi::kEINVAL;
  if ((flags & abi::kMREMAP_FIXED) != 0 && (flags & abi::kMREMAP_MAYMOVE) == 0) return -abi::kEINVAL;
  if ((flags & abi::kMREMAP_DONTUNMAP) != 0) return -abi::kEINVAL;
  *old_bytes = page_up(old_length);
  *new_bytes = page_up(new_length);
  if (*new_bytes == 0 || *old_bytes == 0) return -abi::kEINVAL;
  return 0;
}

int32_t seek_target(uint64_t offset_now, uint64_t size, int64_t offset, uint32_t whence, uint64_t* out) {
  uint64_t base;
  switch (whence) {
    case abi::kSEEK_SET:
      base = 0;
      break;
    case abi::kSEEK_CUR:
      base = offset_now;
      break;
    case abi::kSEEK_END:
      base = size;
      break;
    default:
      return -abi::kEINVAL;
  }
  // In unsigned arithmetic (a signed overflow would be undefined): the result must lie in
  // [0, 2^63).
  constexpr uint64_t kMax = 0x7fffffffffffffffull;
  if (offset >= 0) {
    const uint64_t forward = static_cast<uint64_t>(offset);
    if (base > kMax || forward > kMax - base) return -abi::kEINVAL;
    *out = base + forward;
  } else {
    const uint64_t back = static_cast<uint64_t>(-(offset + 1)) + 1;
    if (back > base) return -abi::kEINVAL;
    *out = base - back;
  }
  return 0;
}

int32_t open_decision(int32_t found, NodeType type, uint32_t flags, int32_t parent_found) {
  if ((flags & abi::kO_TMPFILE) == abi::kO_TMPFILE) return -abi::kEOPNOTSUPP;       // not offered
  if (found == -abi::kENOENT && (flags & abi::kO_CREAT) != 0) return parent_found;  // 0: to be created
  if (found != 0) return found;
  if ((flags & (abi::kO_CREAT | abi::kO_EXCL)) == (abi::kO_CREAT | abi::kO_EXCL)) return -abi::kEEXIST;
  if ((flags & abi::kO_DIRECTORY) != 0 && type != NodeType::Directory) return -abi::kENOTDIR;
  if ((flags & abi::kO_PATH) != 0) return 0;
  if (type == NodeType::Symlink) return -abi::kELOOP;  // O_NOFOLLOW on a link
  if (type == NodeType::Device) return 0;              // written and read as the device does; O_TRUNC ignored
  const uint32_t access = flags & abi::kO_ACCMODE;
  if (type == NodeType::Directory && (access != abi::kO_RDONLY || (flags & abi::kO_CREAT) != 0)) return -abi::kEISDIR;
  return 0;
}

int32_t check_sigaction(uint32_t signal, bool new_action, uint32_t sigset_bytes) {
  if (sigset_bytes != abi::kSigsetBytes || signal == 0 || signal > abi::kSignals) return -abi::kEINVAL;
  if (new_action && (signal == abi::kSIGKILL || signal == abi::kSIGSTOP)) return -abi::kEINVAL;
  return 0;
}

int32_t check_sigprocmask(uint32_t how, bool new_set, uint32_t sigset_bytes) {
  if (sigset_bytes != abi::kSigsetBytes) return -abi::kEINVAL;
  if (new_set && how > abi::kSIG_SETMASK) return -abi::kEINVAL;
  return 0;
}

}  // namespace unixemu
