// Host tests for the bootinfo parser (kernel/arch/m68k/bootinfo.h).
#include "arch/m68k/bootinfo.h"

#include <gtest/gtest.h>

#include "big_endian_builder.h"

namespace ck::m68k {
namespace {

using test::BigEndianBuilder;

constexpr u16 tag(BootTag t) { return static_cast<u16>(t); }

// The list QEMU 7.2's virt machine writes (hw/m68k/virt.c), 64 MiB, with a command line.
BigEndianBuilder qemu_virt_list(const std::string& command_line) {
  BigEndianBuilder b;
  b.record(tag(BootTag::MachineType), {kMachineVirt})
      .record(tag(BootTag::FpuType), {kFpu68040})
      .record(tag(BootTag::MmuType), {kMmu68040})
      .record(tag(BootTag::CpuType), {kCpu68040})
      .record(tag(BootTag::MemoryChunk), {0, 64 * MiB})
      .record(tag(BootTag::VirtQemuVersion), {0x07020000})
      .record(tag(BootTag::VirtPicBase), {0xff000000, 1})
      .record(tag(BootTag::VirtRtcBase), {0xff006000, 168})
      .record(tag(BootTag::VirtTtyBase), {0xff008000, 39})
      .record(tag(BootTag::VirtCtrlBase), {0xff009000, 8})
      .record(tag(BootTag::VirtVirtioBase), {0xff010000, 40});
  if (!command_line.empty()) b.string_record(tag(BootTag::CommandLine), command_line);
  b.u16(tag(BootTag::VirtRngSeed)).u16(4 + 2 + 32).u16(32).zeros(32);
  b.u16(tag(BootTag::Last)).u16(4);
  return b;
}

TEST(BootInfo, ParsesWhatQemuVirtWrites) {
  BigEndianBuilder list = qemu_virt_list("log=debug hz=100");
  BootInfo bi;
  ASSERT_EQ(parse_bootinfo(list.data(), list.size(), &bi), BootInfoStatus::Ok);
  EXPECT_EQ(bi.machine, kMachineVirt);
  EXPECT_EQ(bi.cpu, kCpu68040);
  EXPECT_EQ(bi.qemu_version, 0x07020000u);
  ASSERT_EQ(bi.memory_count, 1u);
  EXPECT_EQ(bi.memory[0].base.value(), 0u);
  EXPECT_EQ(bi.memory[0].size, 64 * MiB);
  EXPECT_TRUE(bi.tty.present);
  EXPECT_EQ(bi.tty.base.value(), 0xff008000u);
  EXPECT_EQ(bi.tty.irq, 39u);
  EXPECT_EQ(bi.ctrl.base.value(), 0xff009000u);
  EXPECT_EQ(bi.pic.base.value(), 0xff000000u);
  EXPECT_EQ(bi.rtc.irq, 168u);
  EXPECT_EQ(bi.virtio.base.value(), 0xff010000u);
  EXPECT_STREQ(bi.command_line, "log=debug hz=100");
  EXPECT_FALSE(bi.command_line_truncated);
  EXPECT_EQ(bi.length, list.size());
  EXPECT_EQ(bi.unknown_records, 0u);
  EXPECT_EQ(bi.seed_bytes, 32u) << "the RNG seed is taken";
}

// A seed record: u16 length, the bytes 1..length, padded to 4 bytes.
void seed_record(BigEndianBuilder& b, BootTag t, std::uint16_t length) {
  const std::uint16_t size = static_cast<std::uint16_t>((4 + 2 + length + 3) & ~3);
  b.u16(tag(t)).u16(size).u16(length);
  std::size_t n = 0;
  for (; n + 1 < length; n += 2) b.u16(static_cast<std::uint16_t>((n + 1) << 8 | (n + 2)));
  if (n < length) b.u16(static_cast<std::uint16_t>((n + 1) << 8));
  b.zeros(size - 6 - ((length + 1) & ~1u));
}

BigEndianBuilder minimal_list() {
  BigEndianBuilder b;
  b.record(tag(BootTag::MemoryChunk), {0, 64 * MiB});
  return b;
}

TEST(BootInfo, TakesTheRngSeedAndFoldsALongerOneIn) {
  BigEndianBuilder b = minimal_list();
  seed_record(b, BootTag::RngSeed, 16);
  b.u16(tag(BootTag::Last)).u16(4);
  BootInfo bi;
  ASSERT_EQ(parse_bootinfo(b.data(), b.size(), &bi), BootInfoStatus::Ok);
  ASSERT_EQ(bi.seed_bytes, 16u);
  for (usize i = 0; i < 16; ++i) EXPECT_EQ(bi.seed[i], i + 1) << i;
  EXPECT_EQ(bi.seed[16], 0u);

  BigEndianBuilder c = minimal_list();
  seed_record(c, BootTag::VirtRngSeed, 40);  // bytes 33..40 land on 1..8
  c.u16(tag(BootTag::Last)).u16(4);
  BootInfo ci;
  ASSERT_EQ(parse_bootinfo(c.data(), c.size(), &ci), BootInfoStatus::Ok);
  EXPECT_EQ(ci.seed_bytes, BootInfo::kSeedCapacity);
  EXPECT_EQ(ci.seed[0], 1u ^ 33u);
  EXPECT_EQ(ci.seed[7], 8u ^ 40u);
  EXPECT_EQ(ci.seed[8], 9u);
}

TEST(BootInfo, ASeedLongerThanItsRecordIsRefused) {
  BigEndianBuilder b = minimal_list();
  b.u16(tag(BootTag::RngSeed)).u16(4 + 2 + 2).u16(32).u16(0x0102);
  b.u16(tag(BootTag::Last)).u16(4);
  BootInfo bi;
  EXPECT_EQ(parse_bootinfo(b.data(), b.size(), &bi), BootInfoStatus::BadRecordSize);
  BigEndianBuilder c = minimal_list();
  c.u16(tag(BootTag::RngSeed)).u16(4);  // not even its length
  c.u16(tag(BootTag::Last)).u16(4);
  EXPECT_EQ(parse_bootinfo(c.data(), c.size(), &bi), BootInfoStatus::BadRecordSize);
}

TEST(BootInfo, StopsAtLastRecordAndIgnoresWhatFollows) {
  BigEndianBuilder list = qemu_virt_list("");
  const usize length = list.size();
  list.record(tag(BootTag::MemoryChunk), {0x10000000, 1});  // garbage after BI_LAST
  BootInfo bi;
  ASSERT_EQ(parse_bootinfo(list.data(), list.size(), &bi), BootInfoStatus::Ok);
  EXPECT_EQ(bi.memory_count, 1u);
  EXPECT_EQ(bi.length, length);
  EXPECT_EQ(bi.command_line[0], '\0');
}

TEST(BootInfo, CountsUnknownRecordsAndSkipsThem) {
  BigEndianBuilder b;
  b.record(0x7777, {1, 2, 3}).record(tag(BootTag::MemoryChunk), {0, 8 * MiB}).u16(0).u16(4);
  BootInfo bi;
  ASSERT_EQ(parse_bootinfo(b.data(), b.size(), &bi), BootInfoStatus::Ok);
  EXPECT_EQ(bi.unknown_records, 1u);
  EXPECT_EQ(bi.memory[0].size, 8 * MiB);
}

TEST(BootInfo, MissingLastRecordIsAnError) {
  BigEndianBuilder list = qemu_virt_list("x");
  list.drop_last(4);  // BI_LAST
  BootInfo bi;
  EXPECT_EQ(parse_bootinfo(list.data(), list.size(), &bi), BootInfoStatus::NoLastRecord);
  // What came before the error is still there, so a console can report it.
  EXPECT_TRUE(bi.tty.present);
}

TEST(BootInfo, ImpossibleRecordSizesAreErrors) {
  for (u16 size : {u16{0}, u16{2}, u16{7}, u16{8 /* memchunk needs 12 */}, u16{200 /* past the limit */}}) {
    BigEndianBuilder b;
    b.u16(tag(BootTag::MemoryChunk)).u16(size).u32(0).u32(0).u16(0).u16(4);
    BootInfo bi;
    EXPECT_EQ(parse_bootinfo(b.data(), b.size(), &bi), BootInfoStatus::BadRecordSize) << size;
  }
}

TEST(BootInfo, NoMemoryIsAnError) {
  BigEndianBuilder b;
  b.record(tag(BootTag::MachineType), {kMachineVirt}).u16(0).u16(4);
  BootInfo bi;
  EXPECT_EQ(parse_bootinfo(b.data(), b.size(), &bi), BootInfoStatus::NoMemory);
}

TEST(BootInfo, TooManyMemoryChunksIsAnError) {
  BigEndianBuilder b;
  for (u32 i = 0; i <= BootInfo::kMaxMemoryChunks; ++i) b.record(tag(BootTag::MemoryChunk), {i * 16 * MiB, 16 * MiB});
  b.u16(0).u16(4);
  BootInfo bi;
  EXPECT_EQ(parse_bootinfo(b.data(), b.size(), &bi), BootInfoStatus::TooManyMemoryChunks);
}

TEST(BootInfo, LongCommandLineIsTruncatedAndFlagged) {
  const std::string long_line(BootInfo::kCommandLineCapacity + 40, 'x');
  BigEndianBuilder list = qemu_virt_list(long_line);
  BootInfo bi;
  ASSERT_EQ(parse_bootinfo(list.data(), list.size(), &bi), BootInfoStatus::Ok);
  EXPECT_TRUE(bi.command_line_truncated);
  EXPECT_EQ(std::string(bi.command_line), long_line.substr(0, BootInfo::kCommandLineCapacity - 1));
}

TEST(BootInfo, EveryStatusHasADescription) {
  for (auto s : {BootInfoStatus::Ok, BootInfoStatus::NoLastRecord, BootInfoStatus::BadRecordSize,
                 BootInfoStatus::TooManyMemoryChunks, BootInfoStatus::NoMemory}) {
    EXPECT_FALSE(describe(s).empty());
    EXPECT_FALSE(describe(s) == "unknown status");
  }
}

}  // namespace
}  // namespace ck::m68k
