// The UNIX emulator's system-call argument checks (ak-unix/syscall_checks.h): each
// refusal Linux gives, in Linux's order, and the ranges that pass.
#include <gtest/gtest.h>

#include "linux_abi.h"
#include "syscall_checks.h"

namespace unixemu {
namespace {

namespace abi = linux_abi;

TEST(UnixSyscallChecks, UserRanges) {
  uint32_t end;
  EXPECT_TRUE(user_range(0x80000000, 1, &end));
  EXPECT_EQ(end, 0x80001000u);
  EXPECT_TRUE(user_range(0xeffff000, 0x1000, &end));  // up to the stack's top
  EXPECT_FALSE(user_range(0xeffff000, 0x1001, &end));
  EXPECT_FALSE(user_range(0x10000000, 0xfffff001, &end));  // rounds to 0: wraps
  EXPECT_FALSE(user_range(0xfffff000, 0x2000, &end));
  EXPECT_TRUE(user_range(0x1000, 0, &end));
  EXPECT_EQ(end, 0x1000u);
}

TEST(UnixSyscallChecks, Mmap) {
  uint32_t bytes;
  const uint32_t anon = abi::kMAP_PRIVATE | abi::kMAP_ANONYMOUS;
  EXPECT_EQ(check_mmap(0, 1, abi::kPROT_READ, anon, &bytes), 0);
  EXPECT_EQ(bytes, 4096u);
  EXPECT_EQ(check_mmap(0, 0, abi::kPROT_READ, anon, &bytes), -abi::kEINVAL);
  EXPECT_EQ(check_mmap(0, 4096, 0x8, anon, &bytes), -abi::kEINVAL);               // an unknown protection bit
  EXPECT_EQ(check_mmap(0, 4096, 0, abi::kMAP_ANONYMOUS, &bytes), -abi::kEINVAL);  // no type
  EXPECT_EQ(check_mmap(0, 4096, 0, abi::kMAP_ANONYMOUS | 0x4, &bytes), -abi::kEINVAL);
  EXPECT_EQ(check_mmap(0x1234, 4096, 0, anon | abi::kMAP_FIXED, &bytes), -abi::kEINVAL);
  EXPECT_EQ(check_mmap(0x1234, 4096, 0, anon, &bytes), 0) << "a hint may be unaligned";
  EXPECT_EQ(check_mmap(0, 0xfffff001, 0, anon, &bytes), -abi::kENOMEM);
  EXPECT_EQ(check_mmap(0, 4096, 0, abi::kMAP_SHARED_VALIDATE | abi::kMAP_ANONYMOUS, &bytes), 0);
}

TEST(UnixSyscallChecks, MunmapMprotectMadvise) {
  uint32_t end;
  EXPECT_EQ(check_munmap(0x80000000, 4096, &end), 0);
  EXPECT_EQ(check_munmap(0x80000001, 4096, &end), -abi::kEINVAL);
  EXPECT_EQ(check_munmap(0x80000000, 0, &end), -abi::kEINVAL);
  EXPECT_EQ(check_munmap(0xeffff000, 0x2000, &end), -abi::kEINVAL);
  EXPECT_EQ(check_mprotect(0x80000000, 0, abi::kPROT_READ, &end), 0);
  EXPECT_EQ(end, 0x80000000u) << "nothing to do";
  EXPECT_EQ(check_mprotect(0x80000002, 4096, abi::kPROT_READ, &end), -abi::kEINVAL);
  EXPECT_EQ(check_mprotect(0x80000000, 4096, 0x10, &end), -abi::kEINVAL);
  EXPECT_EQ(check_mprotect(0xeffff000, 0x2000, abi::kPROT_READ, &end), -abi::kENOMEM);
  EXPECT_EQ(check_madvise(0x80000000, 4096, abi::kMADV_DONTNEED, &end), 0);
  EXPECT_EQ(check_madvise(0x80000000, 4096, 5, &end), -abi::kEINVAL);
  EXPECT_EQ(check_madvise(0x80000800, 4096, abi::kMADV_NORMAL, &end), -abi::kEINVAL);
}

TEST(UnixSyscallChecks, Mremap) {
  uint32_t old_bytes, new_bytes;
  EXPECT_EQ(check_mremap(0x80000000, 4096, 8192, abi::kMREMAP_MAYMOVE, &old_bytes, &new_bytes), 0);
  EXPECT_EQ(old_bytes, 4096u);
  EXPECT_EQ(new_bytes, 8192u);
  EXPECT_EQ(check_mremap(0x80000004, 4096, 8192, 0, &old_bytes, &new_bytes), -abi::kEINVAL);
  EXPECT_EQ(check_mremap(0x80000000, 4096, 8192, abi::kMREMAP_FIXED, &old_bytes, &new_bytes), -abi::kEINVAL);
  EXPECT_EQ(check_mremap(0x80000000, 4096, 8192, 0x8, &old_bytes, &new_bytes), -abi::kEINVAL);
  EXPECT_EQ(check_mremap(0x80000000, 4096, 0, 0, &old_bytes, &new_bytes), -abi::kEINVAL);
  EXPECT_EQ(check_mremap(0x80000000, 4096, 4096, abi::kMREMAP_MAYMOVE | abi::kMREMAP_DONTUNMAP, &old_bytes, &new_bytes),
            -abi::kEINVAL);
}

TEST(UnixSyscallChecks, SeekTargets) {
  uint64_t at;
  EXPECT_EQ(seek_target(10, 100, 5, abi::kSEEK_SET, &at), 0);
  EXPECT_EQ(at, 5u);
  EXPECT_EQ(seek_target(10, 100, -3, abi::kSEEK_CUR, &at), 0);
  EXPECT_EQ(at, 7u);
  EXPECT_EQ(seek_target(10, 100, 7, abi::kSEEK_END, &at), 0);
  EXPECT_EQ(at, 107u) << "past the end is allowed";
  EXPECT_EQ(seek_target(10, 100, -11, abi::kSEEK_CUR, &at), -abi::kEINVAL);
  EXPECT_EQ(seek_target(10, 100, 0, 3, &at), -abi::kEINVAL);
  EXPECT_EQ(seek_target(0x7fffffffffffffffull, 0, 1, abi::kSEEK_CUR, &at), -abi::kEINVAL) << "no wrap";
  EXPECT_EQ(seek_target(5, 0, INT64_MIN, abi::kSEEK_CUR, &at), -abi::kEINVAL);
  EXPECT_EQ(seek_target(0, 0, INT64_MAX, abi::kSEEK_SET, &at), 0);
  EXPECT_EQ(at, 0x7fffffffffffffffull);
}

TEST(UnixSyscallChecks, OpenDecisions) {
  const uint32_t rd = abi::kO_RDONLY, wr = abi::kO_WRONLY;
  EXPECT_EQ(open_decision(0, NodeType::File, rd, 0), 0);
  EXPECT_EQ(open_decision(0, NodeType::File, wr, 0), 0);
  EXPECT_EQ(open_decision(0, NodeType::File, rd | abi::kO_TRUNC, 0), 0);
  EXPECT_EQ(open_decision(0, NodeType::Directory, wr, 0), -abi::kEISDIR);
  EXPECT_EQ(open_decision(0, NodeType::Directory, rd | abi::kO_DIRECTORY, 0), 0);
  EXPECT_EQ(open_decision(0, NodeType::File, rd | abi::kO_DIRECTORY, 0), -abi::kENOTDIR);
  // O_NOFOLLOW left a link: ELOOP, but O_DIRECTORY's ENOTDIR first (Linux's order).
  EXPECT_EQ(open_decision(0, NodeType::Symlink, rd | abi::kO_NOFOLLOW, 0), -abi::kELOOP);
  EXPECT_EQ(open_decision(0, NodeType::Symlink, rd | abi::kO_NOFOLLOW | abi::kO_DIRECTORY, 0), -abi::kENOTDIR);
  EXPECT_EQ(open_decision(0, NodeType::Symlink, abi::kO_PATH | abi::kO_NOFOLLOW, 0), 0);
  EXPECT_EQ(open_decision(0, NodeType::File, rd | abi::kO_CREAT | abi::kO_EXCL, 0), -abi::kEEXIST);
  EXPECT_EQ(open_decision(-abi::kENOENT, NodeType::File, wr | abi::kO_CREAT, 0), 0);  // to be created
  EXPECT_EQ(open_decision(-abi::kENOENT, NodeType::File, wr | abi::kO_CREAT, -abi::kENOENT), -abi::kENOENT);
  EXPECT_EQ(open_decision(-abi::kENOENT, NodeType::File, rd, 0), -abi::kENOENT);
  EXPECT_EQ(open_decision(-abi::kELOOP, NodeType::File, rd, 0), -abi::kELOOP);
  EXPECT_EQ(open_decision(0, NodeType::Directory, abi::kO_TMPFILE | abi::kO_RDWR, 0), -abi::kEOPNOTSUPP);
}

TEST(UnixSyscallChecks, Signals) {
  EXPECT_EQ(check_sigaction(abi::kSIGSEGV, true, 8), 0);
  EXPECT_EQ(check_sigaction(0, false, 8), -abi::kEINVAL);
  EXPECT_EQ(check_sigaction(65, false, 8), -abi::kEINVAL);
  EXPECT_EQ(check_sigaction(64, true, 8), 0);
  EXPECT_EQ(check_sigaction(abi::kSIGKILL, true, 8), -abi::kEINVAL);
  EXPECT_EQ(check_sigaction(abi::kSIGKILL, false, 8), 0) << "asking is allowed";
  EXPECT_EQ(check_sigaction(abi::kSIGSTOP, true, 8), -abi::kEINVAL);
  EXPECT_EQ(check_sigaction(abi::kSIGSEGV, true, 4), -abi::kEINVAL);
  EXPECT_EQ(check_sigprocmask(abi::kSIG_SETMASK, true, 8), 0);
  EXPECT_EQ(check_sigprocmask(3, true, 8), -abi::kEINVAL);
  EXPECT_EQ(check_sigprocmask(3, false, 8), 0) << "how is not looked at without a set";
  EXPECT_EQ(check_sigprocmask(abi::kSIG_BLOCK, true, 16), -abi::kEINVAL);
}

}  // namespace
}  // namespace unixemu
