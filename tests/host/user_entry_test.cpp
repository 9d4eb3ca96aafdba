// Decoding user-mode exception frames into portable entry records (arch/m68k/user_entry.h).
#include "arch/m68k/user_entry.h"

#include <gtest/gtest.h>

#include "big_endian_builder.h"

namespace ck::m68k {
namespace {

using test::BigEndianBuilder;

BigEndianBuilder frame(u8 format, u16 vector, u32 pc) {
  BigEndianBuilder b;
  b.u16(0x0000).u32(pc).u16(static_cast<u16>(format << 12 | vector << 2));
  return b;
}

BigEndianBuilder access_error(u32 pc, u16 ssw, u32 fault_address) {
  BigEndianBuilder b = frame(7, 2, pc);
  b.u32(fault_address).u16(ssw).zeros(6).u32(fault_address).zeros(36);
  return b;
}

TEST(UserEntry, InterruptAutovectors) {
  for (u16 level = 1; level <= 7; ++level) {
    const UserEntry e = decode_user_entry(frame(0, kAutovectorBase + level, 0x1000).data());
    EXPECT_EQ(e.kind, EntryKind::Interrupt) << "level " << level;
  }
}

TEST(UserEntry, TrapNumbers) {
  for (u8 n = 0; n < 16; ++n) {
    const UserEntry e = decode_user_entry(frame(0, kTrapBase + n, 0x2002).data());
    EXPECT_EQ(e.kind, EntryKind::Trap);
    EXPECT_EQ(e.trap, n);
  }
}

TEST(UserEntry, UserDataReadThroughAtcIsAMappingFault) {
  // SSW: RW=1 (read), ATC=1, size long, TM=1 (user data).
  const UserEntry e = decode_user_entry(access_error(0x8000, 0x0501, 0x00400010).data());
  ASSERT_EQ(e.kind, EntryKind::Fault);
  EXPECT_EQ(e.fault.kind, FaultKind::Mapping);
  EXPECT_EQ(e.fault.address.value(), 0x00400010u);
  EXPECT_EQ(e.fault.access, Access::Read);
  EXPECT_EQ(e.fault.size, 4);
  EXPECT_EQ(e.fault.pc.value(), 0x8000u);
  EXPECT_EQ(e.fault.vector, 2);
}

TEST(UserEntry, UserByteWriteAndInstructionFetch) {
  // RW=0 (write), ATC, size byte (01), TM=1.
  const UserEntry w = decode_user_entry(access_error(0x8000, 0x0421, 0x00500003).data());
  EXPECT_EQ(w.fault.access, Access::Write);
  EXPECT_EQ(w.fault.size, 1);
  // Instruction fetch: TM=2 (user code), size word.
  const UserEntry x = decode_user_entry(access_error(0x9000, 0x0542, 0x00009000).data());
  EXPECT_EQ(x.fault.access, Access::Execute);
  EXPECT_EQ(x.fault.kind, FaultKind::Mapping);
}

TEST(UserEntry, AccessErrorWithoutAtcIsABusError) {
  const UserEntry e = decode_user_entry(access_error(0x8000, 0x0101, 0xfe000000).data());
  EXPECT_EQ(e.fault.kind, FaultKind::BusError);
  EXPECT_EQ(e.fault.address.value(), 0xfe000000u);
}

TEST(UserEntry, InstructionFaults) {
  EXPECT_EQ(decode_user_entry(frame(0, 4, 0x100).data()).fault.kind, FaultKind::IllegalInstruction);
  EXPECT_EQ(decode_user_entry(frame(0, 8, 0x100).data()).fault.kind, FaultKind::Privilege);
  EXPECT_EQ(decode_user_entry(frame(0, 10, 0x100).data()).fault.kind, FaultKind::IllegalInstruction);
  EXPECT_EQ(decode_user_entry(frame(0, 11, 0x100).data()).fault.kind, FaultKind::FloatingPoint);
  EXPECT_EQ(decode_user_entry(frame(0, 14, 0x100).data()).fault.kind, FaultKind::FormatError);
  EXPECT_EQ(decode_user_entry(frame(0, 50, 0x100).data()).fault.kind, FaultKind::FloatingPoint);
  EXPECT_EQ(decode_user_entry(frame(0, 56, 0x100).data()).fault.kind, FaultKind::Unknown);
  EXPECT_EQ(decode_user_entry(frame(0, 9, 0x100).data()).fault.kind, FaultKind::Trace);
}

TEST(UserEntry, Format2CarriesTheInstructionAddress) {
  BigEndianBuilder b = frame(2, 5, 0x1006);
  b.u32(0x1002);
  const UserEntry e = decode_user_entry(b.data());
  EXPECT_EQ(e.fault.kind, FaultKind::ZeroDivide);
  EXPECT_EQ(e.fault.pc.value(), 0x1006u);
  EXPECT_EQ(e.fault.address.value(), 0x1002u);
}

// CK_LOAD_MAPPING_RESUME's question, answered from the SSW alone, must agree with the
// full decode for every SSW, page and frame kind.
TEST(UserEntry, WriteFaultOnPageAgreesWithTheFullDecode) {
  constexpr u32 kPage = 4096;
  const u32 addresses[] = {0x00400000, 0x00400ffe, 0x00401000, 0xfffff000};
  u32 writes = 0;
  for (u32 ssw = 0; ssw <= 0xffff; ++ssw) {
    for (const u32 address : addresses) {
      const BigEndianBuilder f = access_error(0x8000, static_cast<u16>(ssw), address);
      const UserEntry e = decode_user_entry(f.data());
      for (const u32 page : {0x00400000u, 0x00401000u}) {
        const bool expected = e.kind == EntryKind::Fault && e.fault.access == Access::Write &&
                              (e.fault.address.value() & ~(kPage - 1)) == page;
        ASSERT_EQ(write_fault_on_page(f.data(), page, kPage), expected)
            << std::hex << "ssw " << ssw << " address " << address << " page " << page;
        writes += expected;
      }
    }
  }
  EXPECT_GT(writes, 0u);
  // Not an access error: a trap, a format $2 fault, a format $0 vector-2 frame.
  EXPECT_FALSE(write_fault_on_page(frame(0, kTrapBase, 0x00400000).data(), 0x00400000, kPage));
  BigEndianBuilder two = frame(2, 5, 0x00400000);
  two.u32(0x00400000).zeros(40);
  EXPECT_FALSE(write_fault_on_page(two.data(), 0x00400000, kPage));
  BigEndianBuilder zero = frame(0, 2, 0x00400000);
  zero.zeros(48);
  EXPECT_FALSE(write_fault_on_page(zero.data(), 0x00400000, kPage));
}

}  // namespace
}  // namespace ck::m68k
