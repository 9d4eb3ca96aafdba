// Host tests for the fatal report text (kernel/arch/m68k/fatal_report.h).
#include "arch/m68k/fatal_report.h"

#include <gtest/gtest.h>

#include <string>

#include "big_endian_builder.h"

namespace ck::m68k {
namespace {

using test::BigEndianBuilder;

std::string report(const SavedRegisters& regs, const BigEndianBuilder& frame, u32 frame_address,
                   const BigEndianBuilder& stack) {
  static char buffer[4096];
  BufferSink sink(buffer, sizeof buffer);
  write_exception_report(sink, regs, frame.data(), frame_address,
                         StackSnapshot{frame_address + 60, stack.data(), stack.size()});
  EXPECT_FALSE(sink.truncated());
  return sink.c_str();
}

SavedRegisters numbered_registers() {
  SavedRegisters r{};
  r.usp = 0x00ffee00;
  for (u32 i = 0; i < 8; ++i) r.d[i] = 0xd0000000 + i;
  for (u32 i = 0; i < 7; ++i) r.a[i] = 0xa0000000 + i;
  return r;
}

TEST(FatalReport, AccessErrorShowsFaultAndEveryRegister) {
  BigEndianBuilder frame;
  frame.u16(0x0000)
      .u32(0x00401000)
      .u16(0x7008)
      .u32(0x00500004)
      .u16(0x0001 /* user data write long */)
      .zeros(6)
      .u32(0x00500004);
  frame.zeros(60 - frame.size());
  BigEndianBuilder stack;
  stack.u32(0xcafef00d).u32(0x12345678);
  const std::string text = report(numbered_registers(), frame, 0x8000, stack);

  EXPECT_NE(text.find("*** FATAL: Access error (vector 2) in user mode"), std::string::npos) << text;
  EXPECT_NE(text.find("PC 0x00401000"), std::string::npos) << text;
  EXPECT_NE(text.find("format $7 (60-byte frame at 0x00008000)"), std::string::npos) << text;
  EXPECT_NE(text.find("write of 4 byte(s) at 0x00500004: user data, bus error"), std::string::npos) << text;
  for (int i = 0; i < 8; ++i)
    EXPECT_NE(text.find("D" + std::to_string(i) + " d000000" + std::to_string(i)), std::string::npos) << i;
  for (int i = 0; i < 7; ++i)
    EXPECT_NE(text.find("A" + std::to_string(i) + " a000000" + std::to_string(i)), std::string::npos) << i;
  EXPECT_NE(text.find("SP 0000803c"), std::string::npos) << text;  // just above the 60-byte frame
  EXPECT_NE(text.find("USP 00ffee00"), std::string::npos) << text;
  EXPECT_NE(text.find("0000803c: cafef00d 12345678"), std::string::npos) << text;
}

TEST(FatalReport, UnknownFormatIsSaidPlainly) {
  BigEndianBuilder frame;
  frame.u16(0x2700).u32(0x1234).u16(0xb010);
  const std::string text = report(numbered_registers(), frame, 0x8000, BigEndianBuilder());
  EXPECT_NE(text.find("format $b (not a 68040 frame format)"), std::string::npos) << text;
}

TEST(FatalReport, StackDumpStopsAtTheSnapshotEnd) {
  static char buffer[512];
  BufferSink sink(buffer, sizeof buffer);
  BigEndianBuilder stack;
  for (u32 i = 0; i < 5; ++i) stack.u32(i);
  write_stack(sink, StackSnapshot{0x1000, stack.data(), stack.size()});
  EXPECT_STREQ(sink.c_str(),
               "  stack at 0x00001000:\n"
               "    00001000: 00000000 00000001 00000002 00000003\n"
               "    00001010: 00000004\n");
}

// A format $7 frame of a supervisor data read of a long at `address` (SSW: ATC fault,
// read, TM 5).
BigEndianBuilder supervisor_read_frame(u32 address, u16 tm = 5) {
  BigEndianBuilder frame;
  frame.u16(0x2700).u32(0x00002000).u16(0x7008).u32(address).u16(0x0500 | tm).zeros(6).u32(address);
  frame.zeros(60 - frame.size());
  return frame;
}

std::string report_with_regions(const BigEndianBuilder& frame, const KernelRegions& regions) {
  static char buffer[4096];
  BufferSink sink(buffer, sizeof buffer);
  BigEndianBuilder stack;
  stack.u32(0);
  write_exception_report(sink, numbered_registers(), frame.data(), 0x8000,
                         StackSnapshot{0x803c, stack.data(), stack.size()}, regions);
  return sink.c_str();
}

TEST(FatalReport, SupervisorNullPointerIsNamed) {
  const std::string text = report_with_regions(supervisor_read_frame(0x10), KernelRegions{});
  EXPECT_NE(text.find("read of 4 byte(s) at 0x00000010: supervisor data, MMU (ATC) fault"), std::string::npos) << text;
  EXPECT_NE(text.find("supervisor access to page 0 at 0x00000010 (a null pointer)"), std::string::npos) << text;
}

TEST(FatalReport, GuardPageIsNamed) {
  const KernelRegions regions{.guard_start = 0x00170000, .guard_end = 0x00171000};
  const std::string text = report_with_regions(supervisor_read_frame(0x00170ffc), regions);
  EXPECT_NE(text.find("kernel stack's guard page at 0x00170ffc (stack overflow)"), std::string::npos) << text;
  const std::string above = report_with_regions(supervisor_read_frame(0x00171000), regions);
  EXPECT_EQ(above.find("guard page"), std::string::npos) << above;
}

TEST(FatalReport, UserAndCodeAccessesToPageZeroAreNotKernelNullPointers) {
  EXPECT_EQ(report_with_regions(supervisor_read_frame(0x10, 1), {}).find("null pointer"), std::string::npos);
  EXPECT_EQ(report_with_regions(supervisor_read_frame(0x10, 6), {}).find("null pointer"), std::string::npos);
}

}  // namespace
}  // namespace ck::m68k
