// Boot-time physical memory: reservation of the image, aligned takes, exhaustion.
#include "boot_memory.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

TEST(BootMemory, SkipsTheReservedStart) {
  const PhysRange ram[] = {{PhysAddr(0), 64 * MiB}};
  BootMemory m;
  m.init(ram, 1, PhysAddr(0x12345));
  EXPECT_EQ(m.free_bytes(), 64 * MiB - 0x12345);
  const PhysRange r = m.take(4096, 4096);
  EXPECT_EQ(r.base.value(), 0x13000u);
  EXPECT_EQ(r.size, 4096u);
  EXPECT_EQ(m.free_bytes(), 64 * MiB - 0x14000);
}

TEST(BootMemory, FailureTakesNothing) {
  const PhysRange ram[] = {{PhysAddr(0x1000), 0x3000}};
  BootMemory m;
  m.init(ram, 1, PhysAddr(0));
  EXPECT_EQ(m.take(0x4000, 4).size, 0u);
  EXPECT_EQ(m.free_bytes(), 0x3000u);
  EXPECT_EQ(m.take(0x3000, 0x1000).base.value(), 0x1000u);
  EXPECT_EQ(m.take(1, 1).size, 0u);
}

TEST(BootMemory, UsesTheNextRangeWhenTheFirstIsFull) {
  const PhysRange ram[] = {{PhysAddr(0), 0x2000}, {PhysAddr(0x100000), 0x10000}};
  BootMemory m;
  m.init(ram, 2, PhysAddr(0x1800));
  EXPECT_EQ(m.range_count(), 2u);
  EXPECT_EQ(m.take(0x1000, 0x1000).base.value(), 0x100000u);
  EXPECT_EQ(m.take(0x100, 0x100).base.value(), 0x1800u);
}

TEST(BootMemory, DropsRangesEntirelyReserved) {
  const PhysRange ram[] = {{PhysAddr(0), 0x2000}, {PhysAddr(0x4000), 0x1000}};
  BootMemory m;
  m.init(ram, 2, PhysAddr(0x3000));
  EXPECT_EQ(m.range_count(), 1u);
  EXPECT_EQ(m.range(0).base.value(), 0x4000u);
}

TEST(PageTablePool, ScalesWithRamWithinBounds) {
  EXPECT_EQ(page_table_pool_bytes(64 * MiB), 2 * MiB);
  EXPECT_EQ(page_table_pool_bytes(1 * MiB), 64 * KiB);
  EXPECT_EQ(page_table_pool_bytes(1024 * MiB), 4 * MiB);
  EXPECT_EQ(page_table_pool_bytes(48 * MiB) % 512, 0u);
}

}  // namespace
}  // namespace ck
