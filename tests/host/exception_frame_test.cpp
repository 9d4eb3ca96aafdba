// Host tests for 68040 exception frame decoding (kernel/arch/m68k/exception_frame.h).
#include "arch/m68k/exception_frame.h"

#include <gtest/gtest.h>

#include <vector>

#include "big_endian_builder.h"

namespace ck::m68k {
namespace {

using test::BigEndianBuilder;

// SR, PC, format/vector word: the first 8 bytes of every frame.
BigEndianBuilder frame_head(u16 sr, u32 pc, u8 format, u16 vector) {
  BigEndianBuilder b;
  b.u16(sr).u32(pc).u16(static_cast<u16>((format << 12) | (vector << 2)));
  return b;
}

TEST(ExceptionFrame, NormalFrame) {
  const BigEndianBuilder b = frame_head(0x2704, 0x00012346, 0, 4);
  const ExceptionFrame f = decode_frame(b.data());
  EXPECT_EQ(f.sr, 0x2704);
  EXPECT_EQ(f.pc, 0x00012346u);
  EXPECT_EQ(f.format, 0);
  EXPECT_EQ(f.vector, 4);
  EXPECT_EQ(f.size_bytes, 8u);
  EXPECT_FALSE(f.from_user());
  EXPECT_FALSE(f.has_address);
  EXPECT_FALSE(f.is_access_error);
}

TEST(ExceptionFrame, TrapFromUserMode) {
  const BigEndianBuilder b = frame_head(0x0000, 0x00400000, 0, 32 + 3);
  const ExceptionFrame f = decode_frame(b.data());
  EXPECT_TRUE(f.from_user());
  EXPECT_EQ(f.vector, 35);
  EXPECT_TRUE(vector_name(f.vector) == "TRAP #3");
}

TEST(ExceptionFrame, Format2CarriesTheInstructionAddress) {
  BigEndianBuilder b = frame_head(0x2700, 0x377c, 2, 5);
  b.u32(0x3778);
  const ExceptionFrame f = decode_frame(b.data());
  EXPECT_EQ(f.size_bytes, 12u);
  ASSERT_TRUE(f.has_address);
  EXPECT_EQ(f.address, 0x3778u);
}

// The 30-word access-error frame (MC68040 UM table 8-7): EA at +8, SSW at +12,
// FA at +20, write-back and push data after.
BigEndianBuilder access_error_frame(u16 sr, u32 pc, u32 ea, u16 ssw, u32 fa) {
  BigEndianBuilder b = frame_head(sr, pc, 7, 2);
  b.u32(ea).u16(ssw).u16(0).u16(0).u16(0).u32(fa);
  b.zeros(60 - b.size());
  return b;
}

TEST(ExceptionFrame, Format7AccessError) {
  const BigEndianBuilder b = access_error_frame(0x0000, 0x1000, 0x80001234, 0x0105, 0x80001234);
  ASSERT_EQ(b.size(), 60u);
  const ExceptionFrame f = decode_frame(b.data());
  EXPECT_EQ(f.size_bytes, 60u);
  ASSERT_TRUE(f.is_access_error);
  EXPECT_EQ(f.fault_address, 0x80001234u);
  EXPECT_EQ(f.effective_address, 0x80001234u);
  EXPECT_EQ(f.ssw, 0x0105);
}

TEST(AccessStatus, ReadLongSupervisorData) {
  const AccessStatus s = decode_access_status(0x0105);  // RW=1, size long, TM=5
  EXPECT_FALSE(s.write);
  EXPECT_FALSE(s.user);
  EXPECT_FALSE(s.instruction);
  EXPECT_FALSE(s.atc_fault);
  EXPECT_EQ(s.size_bytes(), 4u);
}

TEST(AccessStatus, UserWriteByteAtcFault) {
  const AccessStatus s = decode_access_status(0x0400 | 0x0020 | 0x1);  // ATC, RW=0, byte, TM=1
  EXPECT_TRUE(s.write);
  EXPECT_TRUE(s.user);
  EXPECT_FALSE(s.instruction);
  EXPECT_TRUE(s.atc_fault);
  EXPECT_EQ(s.size, AccessStatus::Size::Byte);
  EXPECT_EQ(s.size_bytes(), 1u);
}

TEST(AccessStatus, UserInstructionFetchWordMisaligned) {
  const AccessStatus s = decode_access_status(0x0800 | 0x0100 | 0x0040 | 0x2);  // MA, read, word, TM=2
  EXPECT_TRUE(s.user);
  EXPECT_TRUE(s.instruction);
  EXPECT_TRUE(s.misaligned);
  EXPECT_EQ(s.size_bytes(), 2u);
  EXPECT_EQ(decode_access_status(0x0160).size_bytes(), 16u);  // line (move16, cache push)
}

TEST(ExceptionFrame, SizesOfEveryFormat) {
  EXPECT_EQ(frame_size(0x0), 8u);
  EXPECT_EQ(frame_size(0x1), 8u);
  EXPECT_EQ(frame_size(0x2), 12u);
  EXPECT_EQ(frame_size(0x3), 12u);
  EXPECT_EQ(frame_size(0x4), 16u);
  EXPECT_EQ(frame_size(0x7), 60u);
  for (u8 f : {5, 6, 8, 9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf}) EXPECT_EQ(frame_size(f), 0u) << int(f);
}

TEST(VectorName, CoversTheTable) {
  EXPECT_TRUE(vector_name(2) == "Access error");
  EXPECT_TRUE(vector_name(4) == "Illegal instruction");
  EXPECT_TRUE(vector_name(8) == "Privilege violation");
  EXPECT_TRUE(vector_name(24) == "Spurious interrupt");
  EXPECT_TRUE(vector_name(30) == "Autovector 6");
  EXPECT_TRUE(vector_name(32) == "TRAP #0");
  EXPECT_TRUE(vector_name(47) == "TRAP #15");
  EXPECT_TRUE(vector_name(50) == "FP divide by zero");
  EXPECT_TRUE(vector_name(200) == "User interrupt vector");
  EXPECT_TRUE(vector_name(300) == "Invalid vector");
  for (u16 v = 0; v < 256; ++v) EXPECT_FALSE(vector_name(v).empty()) << v;
}

}  // namespace
}  // namespace ck::m68k

namespace ck::m68k {
namespace {

// A format $7 frame with writeback statuses and data (MC68040 UM table 8-7).
test::BigEndianBuilder frame_with_writebacks(u16 wb3s, u32 wb3a, u32 wb3d, u16 wb2s, u32 wb2a, u32 wb2d) {
  test::BigEndianBuilder b;
  b.u16(0).u32(0x1000).u16(0x7008);                     // SR, PC, format 7 vector 2
  b.u32(0).u16(0x0001).u16(wb3s).u16(wb2s).u16(0);      // EA, SSW, WB3S, WB2S, WB1S
  b.u32(wb2a).u32(wb3a).u32(wb3d).u32(wb2a).u32(wb2d);  // FA, WB3A, WB3D, WB2A, WB2D
  b.zeros(60 - b.size());
  return b;
}

TEST(PendingWrites, NoneInAQemuFrameOrOtherFormats) {
  PendingWrite w[2];
  test::BigEndianBuilder f = frame_with_writebacks(0, 0, 0, 0, 0, 0);
  EXPECT_EQ(pending_writes(f.data(), w), 0u);
  test::BigEndianBuilder normal;
  normal.u16(0).u32(0x1000).u16(0x0080).zeros(52);
  EXPECT_EQ(pending_writes(normal.data(), w), 0u);
}

TEST(PendingWrites, DecodesBothBuffersInOrder) {
  // WB2: valid, word, user data (TM 1); WB3: valid, byte, user data.
  test::BigEndianBuilder f = frame_with_writebacks(0x00a1, 0x00400011, 0xffffff5a, 0x00c1, 0x00400002, 0x1234beef);
  PendingWrite w[2];
  ASSERT_EQ(pending_writes(f.data(), w), 2u);
  EXPECT_EQ(w[0].slot, 2);
  EXPECT_EQ(w[0].address, 0x00400002u);
  EXPECT_EQ(w[0].size, 2);
  EXPECT_EQ(w[0].data, 0xbeefu);
  EXPECT_EQ(w[1].slot, 3);
  EXPECT_EQ(w[1].address, 0x00400011u);
  EXPECT_EQ(w[1].size, 1);
  EXPECT_EQ(w[1].data, 0x5au);
}

TEST(PendingWrites, SkipsMove16AndClearsDoneSlots) {
  // WB2 valid long; WB3 valid but transfer type 01 (MOVE16): not ours to redo.
  test::BigEndianBuilder f = frame_with_writebacks(0x0089, 0x00500000, 1, 0x0081, 0x00400000, 0xcafef00d);
  PendingWrite w[2];
  ASSERT_EQ(pending_writes(f.data(), w), 1u);
  EXPECT_EQ(w[0].size, 4);
  EXPECT_EQ(w[0].data, 0xcafef00du);
  std::vector<u8> bytes(f.data(), f.data() + f.size());
  clear_pending_write(bytes.data(), 2);
  EXPECT_EQ(pending_writes(bytes.data(), w), 0u);
}

}  // namespace
}  // namespace ck::m68k
