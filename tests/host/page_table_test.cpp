// 68040 page tables: descriptor encoding, map/unmap/protect/lookup, table reuse,
// failure leaving the tables unchanged.
#include "arch/m68k/page_table.h"

#include <gtest/gtest.h>

namespace ck::m68k {
namespace {

struct TableFixture : ::testing::Test {
  static constexpr u32 kBytes = 16 * kChunkBytes;
  alignas(512) u32 memory[kBytes / 4];
  TableBlock blocks[kBytes / kBlockBytes];
  TablePool pool;
  PageTable table;

  void SetUp() override {
    pool.init(memory, PhysAddr(0x00100000), kBytes, blocks);
    table = PageTable::create(pool);
    ASSERT_TRUE(table.valid());
  }

  // What the MMU's table walk would find, done the way the hardware does it.
  u32 walk(VirtAddr va) {
    const u32 r = pool.entries(table.root())[root_index(va)];
    if (!descriptor::table_resident(r)) return 0;
    const u32 p = pool.entries(PhysAddr(r & descriptor::kPointerTableMask))[pointer_index(va)];
    if (!descriptor::table_resident(p)) return 0;
    return pool.entries(PhysAddr(p & descriptor::kPageTableMask))[page_index(va)];
  }
};

TEST(PageDescriptor, Encoding) {
  EXPECT_EQ(root_index(VirtAddr(0xfe000000)), 127u);
  EXPECT_EQ(pointer_index(VirtAddr(0x01fc0000)), 127u);
  EXPECT_EQ(page_index(VirtAddr(0x0003f000)), 63u);
  // Read-only, copy-back, user: W set, CM 01, PDT 01.
  EXPECT_EQ(make_page_descriptor(PhysAddr(0x00345000), PageFlags{}), 0x00345000u | 0x20 | 0x04 | 0x01);
  EXPECT_EQ(make_page_descriptor(
                PhysAddr(0x00345000),
                PageFlags{.writable = true, .supervisor = true, .global = true, .cache = CacheMode::NoCacheSerialized}),
            0x00345000u | 0x400 | 0x80 | 0x40 | 0x01);
  const Translation t = decode_page_descriptor(0x00345000u | 0x20 | 0x10 | 0x08 | 0x03);
  EXPECT_EQ(t.page.value(), 0x00345000u);
  EXPECT_TRUE(t.flags.writable);
  EXPECT_TRUE(t.used);
  EXPECT_TRUE(t.modified);
  EXPECT_EQ(t.flags.cache, CacheMode::CopyBack);
}

TEST_F(TableFixture, MapBuildsTheThreeLevelsTheHardwareWalks) {
  const VirtAddr va(0x12345000);
  ASSERT_EQ(table.map(va, PhysAddr(0x00777000), PageFlags{.writable = true}), MapStatus::Ok);
  const u32 d = walk(va);
  EXPECT_TRUE(descriptor::page_resident(d));
  EXPECT_EQ(d & descriptor::kPageMask, 0x00777000u);
  EXPECT_EQ(d & descriptor::kWriteProtect, 0u);
  Translation t;
  ASSERT_TRUE(table.lookup(VirtAddr(0x12345abc), &t));
  EXPECT_EQ(t.page.value(), 0x00777000u);
  EXPECT_FALSE(table.lookup(VirtAddr(0x12346000), &t));
  EXPECT_EQ(pool.free_bytes(), kBytes - 3 * 512);
}

TEST_F(TableFixture, ATagIsKeptBesideEachTranslation) {
  ASSERT_EQ(table.map(VirtAddr(0x12345000), PhysAddr(0x00777000), PageFlags{}), MapStatus::Ok);
  ASSERT_EQ(table.map(VirtAddr(0x12346000), PhysAddr(0x00778000), PageFlags{}), MapStatus::Ok);
  EXPECT_TRUE(table.set_tag(VirtAddr(0x12345000), 41));
  EXPECT_TRUE(table.set_tag(VirtAddr(0x12346000), 42));
  EXPECT_FALSE(table.set_tag(VirtAddr(0x12347000), 43)) << "not mapped";
  Translation t;
  ASSERT_TRUE(table.lookup(VirtAddr(0x12345abc), &t));
  EXPECT_EQ(t.tag, 41u);
  ASSERT_TRUE(table.lookup(VirtAddr(0x12346000), &t));
  EXPECT_EQ(t.tag, 42u);
  EXPECT_EQ(t.page.value(), 0x00778000u) << "the descriptor is untouched";
  // Unmapped and mapped again: the tag starts at 0.
  ASSERT_EQ(table.unmap(VirtAddr(0x12345000), nullptr), MapStatus::Ok);
  ASSERT_EQ(table.map(VirtAddr(0x12345000), PhysAddr(0x00779000), PageFlags{}), MapStatus::Ok);
  ASSERT_TRUE(table.lookup(VirtAddr(0x12345000), &t));
  EXPECT_EQ(t.tag, 0u);
}

TEST_F(TableFixture, NeighbouringPagesShareTables) {
  ASSERT_EQ(table.map(VirtAddr(0x00400000), PhysAddr(0x1000), {}), MapStatus::Ok);
  const u32 after_first = pool.free_bytes();
  ASSERT_EQ(table.map(VirtAddr(0x00401000), PhysAddr(0x2000), {}), MapStatus::Ok);
  EXPECT_EQ(pool.free_bytes(), after_first);
}

TEST_F(TableFixture, RejectsUnalignedAndDuplicateMappings) {
  EXPECT_EQ(table.map(VirtAddr(0x00400010), PhysAddr(0x1000), {}), MapStatus::Unaligned);
  EXPECT_EQ(table.map(VirtAddr(0x00400000), PhysAddr(0x1008), {}), MapStatus::Unaligned);
  ASSERT_EQ(table.map(VirtAddr(0x00400000), PhysAddr(0x1000), {}), MapStatus::Ok);
  EXPECT_EQ(table.map(VirtAddr(0x00400000), PhysAddr(0x2000), {}), MapStatus::AlreadyMapped);
  Translation t;
  ASSERT_TRUE(table.lookup(VirtAddr(0x00400000), &t));
  EXPECT_EQ(t.page.value(), 0x1000u);
}

TEST_F(TableFixture, UnmapReportsUsageAndFreesEmptyTables) {
  const u32 empty = pool.free_bytes();
  const VirtAddr va(0x80000000);
  ASSERT_EQ(table.map(va, PhysAddr(0x5000), PageFlags{.writable = true}), MapStatus::Ok);
  // The MMU sets U and M in the descriptor as the page is used.
  u32 r = pool.entries(table.root())[root_index(va)];
  u32 p = pool.entries(PhysAddr(r & descriptor::kPointerTableMask))[pointer_index(va)];
  pool.entries(PhysAddr(p & descriptor::kPageTableMask))[page_index(va)] |= descriptor::kUsed | descriptor::kModified;
  Translation old;
  ASSERT_EQ(table.unmap(va, &old), MapStatus::Ok);
  EXPECT_TRUE(old.used);
  EXPECT_TRUE(old.modified);
  EXPECT_EQ(old.page.value(), 0x5000u);
  EXPECT_EQ(walk(va), 0u);
  EXPECT_EQ(pool.free_bytes(), empty);
  EXPECT_EQ(table.unmap(va, &old), MapStatus::NotMapped);
}

TEST_F(TableFixture, UnmapKeepsTablesStillInUse) {
  ASSERT_EQ(table.map(VirtAddr(0x00400000), PhysAddr(0x1000), {}), MapStatus::Ok);
  ASSERT_EQ(table.map(VirtAddr(0x00401000), PhysAddr(0x2000), {}), MapStatus::Ok);
  ASSERT_EQ(table.unmap(VirtAddr(0x00400000), nullptr), MapStatus::Ok);
  Translation t;
  ASSERT_TRUE(table.lookup(VirtAddr(0x00401000), &t));
  EXPECT_EQ(t.page.value(), 0x2000u);
}

TEST_F(TableFixture, ProtectTogglesWriteProtectOnly) {
  const VirtAddr va(0x00400000);
  ASSERT_EQ(table.map(va, PhysAddr(0x1000), PageFlags{.writable = true}), MapStatus::Ok);
  ASSERT_EQ(table.protect(va, false), MapStatus::Ok);
  EXPECT_NE(walk(va) & descriptor::kWriteProtect, 0u);
  ASSERT_EQ(table.protect(va, true), MapStatus::Ok);
  EXPECT_EQ(walk(va) & descriptor::kWriteProtect, 0u);
  EXPECT_EQ(walk(va) & descriptor::kPageMask, 0x1000u);
  EXPECT_EQ(table.protect(VirtAddr(0x00500000), true), MapStatus::NotMapped);
}

TEST_F(TableFixture, ClearUsageReturnsAndClearsTheBits) {
  const VirtAddr va(0x00400000);
  ASSERT_EQ(table.map(va, PhysAddr(0x1000), PageFlags{.writable = true}), MapStatus::Ok);
  u32 r = pool.entries(table.root())[root_index(va)];
  u32 p = pool.entries(PhysAddr(r & descriptor::kPointerTableMask))[pointer_index(va)];
  pool.entries(PhysAddr(p & descriptor::kPageTableMask))[page_index(va)] |= descriptor::kModified;
  Translation before;
  ASSERT_EQ(table.clear_usage(va, &before), MapStatus::Ok);
  EXPECT_TRUE(before.modified);
  Translation now;
  ASSERT_TRUE(table.lookup(va, &now));
  EXPECT_FALSE(now.modified);
  EXPECT_FALSE(now.used);
}

TEST_F(TableFixture, RunningOutOfTablesChangesNothing) {
  // Use up the pool with mappings that each need their own pointer and page table.
  MapStatus status = MapStatus::Ok;
  u32 mapped = 0;
  for (u32 i = 0; status == MapStatus::Ok; ++i) {
    status = table.map(VirtAddr(i << 25), PhysAddr(0x1000), {});
    if (status == MapStatus::Ok) ++mapped;
  }
  EXPECT_EQ(status, MapStatus::OutOfTables);
  const u32 free_after = pool.free_bytes();
  const VirtAddr failed(mapped << 25);
  Translation t;
  EXPECT_FALSE(table.lookup(failed, &t));
  EXPECT_EQ(pool.entries(table.root())[root_index(failed)], 0u);
  EXPECT_EQ(table.map(failed, PhysAddr(0x1000), {}), MapStatus::OutOfTables);
  EXPECT_EQ(pool.free_bytes(), free_after);
}

TEST_F(TableFixture, DestroyReturnsEverything) {
  for (u32 i = 0; i < 5; ++i) ASSERT_EQ(table.map(VirtAddr(i * 0x00840000), PhysAddr(0x1000), {}), MapStatus::Ok);
  table.destroy();
  EXPECT_FALSE(table.valid());
  EXPECT_EQ(pool.free_bytes(), kBytes);
}

}  // namespace
}  // namespace ck::m68k

namespace ck::m68k {
namespace {

struct SoftDirtyFixture : TableFixture {
  void SetUp() override {
    pool.init(memory, PhysAddr(0x00100000), kBytes, blocks);
    table = PageTable::create(pool, DirtyTracking::Software);
    ASSERT_TRUE(table.valid());
  }
};

TEST_F(SoftDirtyFixture, WritablePagesStartWriteProtectedUntilTheFirstWrite) {
  const VirtAddr va(0x00400000);
  ASSERT_EQ(table.map(va, PhysAddr(0x1000), PageFlags{.writable = true}), MapStatus::Ok);
  EXPECT_NE(walk(va) & descriptor::kWriteProtect, 0u) << "the hardware must refuse the first write";
  Translation t;
  ASSERT_TRUE(table.lookup(va, &t));
  EXPECT_TRUE(t.flags.writable);
  EXPECT_FALSE(t.modified);
  EXPECT_TRUE(table.record_write(VirtAddr(0x00400abc)));
  EXPECT_EQ(walk(va) & descriptor::kWriteProtect, 0u);
  ASSERT_TRUE(table.lookup(va, &t));
  EXPECT_TRUE(t.modified);
  EXPECT_TRUE(t.used);
  EXPECT_FALSE(table.record_write(va)) << "already writable: not a dirty-bit fault";
}

TEST_F(SoftDirtyFixture, KernelWritesMarkWritablePagesOnly) {
  const VirtAddr rw(0x00400000), ro(0x00401000);
  ASSERT_EQ(table.map(rw, PhysAddr(0x1000), PageFlags{.writable = true}), MapStatus::Ok);
  ASSERT_EQ(table.map(ro, PhysAddr(0x2000), PageFlags{.writable = false}), MapStatus::Ok);
  EXPECT_TRUE(table.mark_modified(VirtAddr(0x00400ffe)));
  Translation t;
  ASSERT_TRUE(table.lookup(rw, &t));
  EXPECT_TRUE(t.modified);
  EXPECT_EQ(walk(rw) & descriptor::kWriteProtect, 0u);
  EXPECT_FALSE(table.mark_modified(ro));
  EXPECT_FALSE(table.mark_modified(VirtAddr(0x00402000)));
}

TEST_F(SoftDirtyFixture, ReadOnlyPagesAreGenuineProtectionFaults) {
  const VirtAddr va(0x00400000);
  ASSERT_EQ(table.map(va, PhysAddr(0x1000), PageFlags{.writable = false}), MapStatus::Ok);
  EXPECT_FALSE(table.record_write(va));
  EXPECT_FALSE(table.record_write(VirtAddr(0x00500000))) << "unmapped";
}

TEST_F(SoftDirtyFixture, ClearingUsageRearmsTheWriteFault) {
  const VirtAddr va(0x00400000);
  ASSERT_EQ(table.map(va, PhysAddr(0x1000), PageFlags{.writable = true}), MapStatus::Ok);
  ASSERT_TRUE(table.record_write(va));
  Translation before;
  ASSERT_EQ(table.clear_usage(va, &before), MapStatus::Ok);
  EXPECT_TRUE(before.modified);
  EXPECT_NE(walk(va) & descriptor::kWriteProtect, 0u);
  EXPECT_TRUE(table.record_write(va));
}

// A mapping load's one walk: find_free's place, filled by map_at, gives exactly what
// map() (and record_write for a page written at once) would, in every case: the page
// table there, none there yet, or a table released in between.
TEST_F(SoftDirtyFixture, MapAtThePlaceFindFreeFoundIsMap) {
  PageTable reference = PageTable::create(pool, DirtyTracking::Software);
  ASSERT_TRUE(reference.valid());
  auto reference_walk = [&](VirtAddr va) {
    const u32 r = pool.entries(reference.root())[root_index(va)];
    const u32 p = pool.entries(PhysAddr(r & descriptor::kPointerTableMask))[pointer_index(va)];
    return pool.entries(PhysAddr(p & descriptor::kPageTableMask))[page_index(va)];
  };
  struct Case {
    VirtAddr va;
    bool writable;
    bool written;
  };
  // The first needs new tables; the others go into the page table it made.
  const Case cases[] = {{VirtAddr(0x00400000), true, false},
                        {VirtAddr(0x00401000), true, true},
                        {VirtAddr(0x00402000), false, true},
                        {VirtAddr(0x00403000), false, false}};
  u32 tag = 7;
  for (const Case& c : cases) {
    const PageFlags flags{.writable = c.writable};
    const PhysAddr pa(0x00500000 + (c.va.value() & 0xfffff));
    PageSlot slot;
    ASSERT_TRUE(table.find_free(c.va, &slot));
    ASSERT_EQ(table.map_at(slot, c.va, pa, flags, tag, c.written), MapStatus::Ok);
    ASSERT_EQ(reference.map(c.va, pa, flags, tag), MapStatus::Ok);
    if (c.written && c.writable) {
      ASSERT_TRUE(reference.record_write(c.va));
    }
    EXPECT_EQ(walk(c.va), reference_walk(c.va)) << std::hex << c.va.value();
    Translation t;
    ASSERT_TRUE(table.lookup(c.va, &t));
    EXPECT_EQ(t.tag, tag);
    EXPECT_FALSE(table.find_free(c.va, &slot)) << "mapped now";
    tag += 1;
  }
  EXPECT_EQ(pool.entries_in_use(PhysAddr(pool.entries(table.root())[0] & descriptor::kPointerTableMask)), 1u);
  // A place kept while a table was released (another region's last page unmapped)
  // is not used: map_at walks again and the count stays right.
  const VirtAddr far(0x08000000), va(0x00404000);
  ASSERT_EQ(table.map(far, PhysAddr(0x9000), PageFlags{}), MapStatus::Ok);
  PageSlot slot;
  ASSERT_TRUE(table.find_free(va, &slot));
  ASSERT_NE(slot.descriptor, nullptr);
  ASSERT_EQ(table.unmap(far, nullptr), MapStatus::Ok);
  ASSERT_EQ(table.map_at(slot, va, PhysAddr(0xa000), PageFlags{}, 1, false), MapStatus::Ok);
  EXPECT_EQ(walk(va) & descriptor::kPageMask, 0xa000u);
  for (const Case& c : cases) ASSERT_EQ(table.unmap(c.va, nullptr), MapStatus::Ok);
  ASSERT_EQ(table.unmap(va, nullptr), MapStatus::Ok);
  EXPECT_EQ(pool.entries_in_use(table.root()), 0u) << "every table counted and released";
}

TEST_F(SoftDirtyFixture, ProtectKeepsTheSoftwareBits) {
  const VirtAddr va(0x00400000);
  ASSERT_EQ(table.map(va, PhysAddr(0x1000), PageFlags{.writable = true}), MapStatus::Ok);
  ASSERT_EQ(table.protect(va, false), MapStatus::Ok);
  EXPECT_FALSE(table.record_write(va));
  Translation t;
  ASSERT_TRUE(table.lookup(va, &t));
  EXPECT_FALSE(t.flags.writable);
  ASSERT_EQ(table.protect(va, true), MapStatus::Ok);
  EXPECT_TRUE(table.record_write(va)) << "writable again, still unmodified";
  ASSERT_EQ(table.protect(va, false), MapStatus::Ok);
  ASSERT_EQ(table.protect(va, true), MapStatus::Ok);
  EXPECT_EQ(walk(va) & descriptor::kWriteProtect, 0u) << "modified pages need no further fault";
}

}  // namespace
}  // namespace ck::m68k

namespace ck::m68k {
namespace {

TEST(TransparentTranslation, CoversRamInSixteenMegabyteGranules) {
  // base 0, mask 3 (64 MiB), E, supervisor only, copy-back.
  EXPECT_EQ(transparent_translation(0, 64 * MiB, CacheMode::CopyBack), 0x0003a020u);
  EXPECT_EQ(transparent_translation(0, 48 * MiB, CacheMode::CopyBack), 0x0003a020u) << "rounded up";
  EXPECT_EQ(transparent_translation(0, 16 * MiB, CacheMode::CopyBack), 0x0000a020u);
  EXPECT_EQ(transparent_translation(0, 128 * MiB + 1, CacheMode::CopyBack), 0x000fa020u);
}

TEST(TransparentTranslation, IoPageIsSerializedAndUncached) {
  EXPECT_EQ(transparent_translation(0xff000000, 0, CacheMode::NoCacheSerialized), 0xff00a040u);
}

}  // namespace
}  // namespace ck::m68k
