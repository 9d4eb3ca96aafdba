// A loaded thread's context (arch::load_user_context, CK_LOAD_THREAD) is what the
// general path leaves: init_user_context at its pc and sp, then set_registers,
// set_fpu_registers and set_pending_writes, each word written once instead of cleared
// and written again.
#include <gtest/gtest.h>

#include <cstring>

#include "arch/arch.h"

namespace ck {
namespace {

ck_thread_state state_with(u32 seed, u32 writes) {
  ck_thread_state s{};
  for (u32 i = 0; i < 8; ++i) s.regs.d[i] = seed * 31 + i;
  for (u32 i = 0; i < 8; ++i) s.regs.a[i] = seed * 57 + 0x1000 * i;
  s.regs.pc = 0x00401000 + seed * 2;
  s.regs.sr = static_cast<u16>(0xffff - seed);  // supervisor, trace and mask bits too: only the CCR counts
  s.fpu.fpcr = 0x30 + seed;
  s.fpu.fpsr = 0x08000000 + seed;
  s.fpu.fpiar = 0x2000 + seed;
  for (u32 i = 0; i < sizeof s.fpu.fp; ++i) reinterpret_cast<u8*>(s.fpu.fp)[i] = static_cast<u8>(seed + i);
  s.exception_stack = 0x7000;
  if (writes > 0) s.pending[0] = ck_pending_write{.address = 0x10000002, .data = 0xbeef, .size = 2};
  if (writes > 1) s.pending[1] = ck_pending_write{.address = 0x10000011, .data = 0x5a, .size = 1};
  return s;
}

void expect_same(const arch::UserContext& a, const arch::UserContext& b) {
  EXPECT_EQ(std::memcmp(a.d, b.d, sizeof a.d), 0);
  EXPECT_EQ(std::memcmp(a.a, b.a, sizeof a.a), 0);
  EXPECT_EQ(a.usp, b.usp);
  EXPECT_EQ(std::memcmp(a.frame, b.frame, sizeof a.frame), 0);
  // An idle FSAVE frame is its header alone: FRESTORE reads nothing after it.
  EXPECT_EQ(std::memcmp(a.fpu.internal, b.fpu.internal, 4), 0);
  EXPECT_EQ(a.fpu.internal[0], 0x41) << "an idle frame";
  EXPECT_EQ(std::memcmp(a.fpu.control, b.fpu.control, sizeof a.fpu.control), 0);
  EXPECT_EQ(std::memcmp(a.fpu.registers, b.fpu.registers, sizeof a.fpu.registers), 0);
  for (u32 i = 0; i < 2; ++i) {
    EXPECT_EQ(a.carried[i].address, b.carried[i].address);
    EXPECT_EQ(a.carried[i].data, b.carried[i].data);
    EXPECT_EQ(a.carried[i].size, b.carried[i].size);
  }
}

TEST(LoadUserContext, IsWhatTheGeneralPathLeaves) {
  for (u32 seed = 0; seed < 8; ++seed) {
    for (u32 writes = 0; writes <= 2; ++writes) {
      const ck_thread_state s = state_with(seed, writes);
      arch::UserContext general;
      arch::init_user_context(general, VirtAddr(s.regs.pc), VirtAddr(s.regs.a[7]));
      arch::set_registers(general, s.regs);
      arch::set_fpu_registers(general, s.fpu);
      arch::set_pending_writes(general, s.pending);
      // Over a context that held something else (a slot's previous thread).
      arch::UserContext loaded;
      std::memset(static_cast<void*>(&loaded), 0xa5, sizeof loaded);
      arch::load_user_context(loaded, s);
      expect_same(loaded, general);
      EXPECT_EQ(loaded.sr(), s.regs.sr & arch::UserContext::kCcrMask);
      EXPECT_EQ(loaded.pc(), s.regs.pc);
      EXPECT_EQ(loaded.format(), 0);
    }
  }
}

}  // namespace
}  // namespace ck
