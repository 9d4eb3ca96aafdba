// Writes a thread did that memory has not seen (issue 15; MC68040 UM §8.4.6): a 68040
// access-error frame leaves up to two pending, and a thread written back before they
// are done must carry them in its state, to be done when it is loaded again. QEMU
// re-executes the faulted instruction instead, so only these tests, on a synthesized
// format $7 frame, see them.
#include <gtest/gtest.h>

#include <cstring>

#include "big_endian_builder.h"
#include "caches_fixture.h"
#include "ring_reader.h"

namespace ck {
namespace {

// A format $7 frame at `pc` with WB2 (a word 0xbeef at 0x10000002) and WB3 (a byte 0x5a
// at 0x10000011) pending, user data (MC68040 UM table 8-7).
void give_frame_with_writebacks(arch::UserContext& c, u32 pc) {
  test::BigEndianBuilder b;
  b.u16(0).u32(pc).u16(0x7008);                                                       // SR, PC, format 7 vector 2
  b.u32(0).u16(0x0001).u16(0x00a1).u16(0x00c1).u16(0);                                // EA, SSW, WB3S, WB2S, WB1S
  b.u32(0x10000002).u32(0x10000011).u32(0xffffff5a).u32(0x10000002).u32(0x1234beef);  // FA, WB3A/D, WB2A/D
  b.zeros(60 - b.size());
  std::memcpy(c.frame, b.data(), sizeof c.frame);
}

constexpr ck_pending_write kWord{.address = 0x10000002, .data = 0xbeef, .size = 2};
constexpr ck_pending_write kByte{.address = 0x10000011, .data = 0x5a, .size = 1};

bool same(const ck_pending_write& a, const ck_pending_write& b) {
  return a.address == b.address && a.data == b.data && a.size == b.size;
}

TEST(PendingWriteState, AFramesWritesAreExportedInOrder) {
  arch::UserContext c;
  arch::init_user_context(c, VirtAddr(0x2000), VirtAddr(0x8000));
  give_frame_with_writebacks(c, 0x2004);
  ck_pending_write out[CK_PENDING_WRITES];
  arch::get_pending_writes(c, out);
  EXPECT_TRUE(same(out[0], kWord));
  EXPECT_TRUE(same(out[1], kByte));
}

TEST(PendingWriteState, NewRegistersKeepTheWritesOfAnAbandonedFrame) {
  arch::UserContext c;
  arch::init_user_context(c, VirtAddr(0x2000), VirtAddr(0x8000));
  give_frame_with_writebacks(c, 0x2004);
  ck_registers regs;
  arch::get_registers(c, &regs);
  arch::set_registers(c, regs);  // same pc: the frame stays, the writes are not doubled
  ck_pending_write out[CK_PENDING_WRITES];
  arch::get_pending_writes(c, out);
  EXPECT_EQ(c.format(), 7);
  EXPECT_TRUE(same(out[0], kWord) && same(out[1], kByte));
  regs.pc = 0x3000;  // elsewhere: a plain frame, the writes carried
  arch::set_registers(c, regs);
  EXPECT_EQ(c.format(), 0);
  arch::get_pending_writes(c, out);
  EXPECT_TRUE(same(out[0], kWord));
  EXPECT_TRUE(same(out[1], kByte));
}

TEST(PendingWriteState, OnlyWellFormedWritesAreValid) {
  const ck_pending_write none[CK_PENDING_WRITES] = {};
  EXPECT_TRUE(arch::valid_pending_writes(none));
  const ck_pending_write both[CK_PENDING_WRITES] = {kWord, kByte};
  EXPECT_TRUE(arch::valid_pending_writes(both));
  const ck_pending_write odd[CK_PENDING_WRITES] = {kWord, {.address = 4, .data = 0, .size = 3}};
  EXPECT_FALSE(arch::valid_pending_writes(odd));
  // Past the all-zero test: no write with an address or data, one write after none.
  const ck_pending_write stray_address[CK_PENDING_WRITES] = {{.address = 4, .data = 0, .size = 0}, {}};
  EXPECT_FALSE(arch::valid_pending_writes(stray_address));
  const ck_pending_write stray_data[CK_PENDING_WRITES] = {{}, {.address = 0, .data = 1, .size = 0}};
  EXPECT_FALSE(arch::valid_pending_writes(stray_data));
  const ck_pending_write second_only[CK_PENDING_WRITES] = {{}, kByte};
  EXPECT_TRUE(arch::valid_pending_writes(second_only));
  const ck_pending_write big_byte[CK_PENDING_WRITES] = {{}, {.address = 8, .data = 0x100, .size = 1}};
  EXPECT_FALSE(arch::valid_pending_writes(big_byte));
}

class PendingWriteTest : public CachesTest {};

// Was lost before issue 15: the written-back state had the registers only, and the
// reloaded thread started on a plain frame past the instruction whose writes were
// pending.
TEST_F(PendingWriteTest, AWrittenBackThreadCarriesItsPendingWritesAndAReloadKeepsThem) {
  const ObjectId id = thread(home_, 5);
  give_frame_with_writebacks(object(id).own, 0x2004);
  ASSERT_EQ(caches_.unload_thread(srm_, id), CK_OK);
  std::vector<RingRecord> records = drain(kSrmRing);
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(records[0].header.kind, CK_WB_THREAD);
  const ck_thread_state& state = records[0].state;
  EXPECT_EQ(state.regs.pc, 0x2004u);
  EXPECT_TRUE(same(state.pending[0], kWord));
  EXPECT_TRUE(same(state.pending[1], kByte));

  ObjectId again;
  ASSERT_EQ(caches_.load_thread(srm_, home_, 7, 5 << CK_PRIORITY_SHIFT, state, &again), CK_OK);
  const arch::UserContext& c = object(again).own;
  EXPECT_EQ(c.format(), 0) << "a plain frame at the next instruction";
  EXPECT_EQ(c.pc(), 0x2004u);
  ck_pending_write out[CK_PENDING_WRITES];
  arch::get_pending_writes(c, out);
  EXPECT_TRUE(same(out[0], kWord)) << "to be done, with its rights, before it runs";
  EXPECT_TRUE(same(out[1], kByte));
}

}  // namespace
}  // namespace ck
