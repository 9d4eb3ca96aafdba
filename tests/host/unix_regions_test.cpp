// A UNIX process's regions (ak-unix/regions.h): the edits mmap, munmap, mprotect,
// mremap and brk make, splits included, and refusals that change nothing.
#include <gtest/gtest.h>

#include "linux_abi.h"
#include "regions.h"

namespace unixemu {
namespace {

namespace abi = linux_abi;

Region region(uint32_t start, uint32_t end, uint32_t prot = abi::kPROT_READ) {
  Region r;
  r.start = start;
  r.end = end;
  r.prot = prot;
  return r;
}

TEST(UnixRegions, InsertKeepsOrderAndRefusesOverlap) {
  Regions rs;
  EXPECT_TRUE(rs.insert(region(0x3000, 0x4000)));
  EXPECT_TRUE(rs.insert(region(0x1000, 0x2000)));
  EXPECT_FALSE(rs.insert(region(0x1800 & ~0xfff, 0x3000)));  // overlaps the first
  EXPECT_FALSE(rs.insert(region(0x5000, 0x5000)));           // empty
  ASSERT_EQ(rs.count(), 2u);
  EXPECT_EQ(rs.at(0).start, 0x1000u);
  EXPECT_EQ(rs.find(0x3fff)->start, 0x3000u);
  EXPECT_EQ(rs.find(0x2000), nullptr);
}

// find looks first at the region it found last: whatever the edits since (an insert
// before it, a removal, a split), it answers what a search of the whole list would.
TEST(UnixRegions, FindIsRightAfterEveryEdit) {
  Regions rs;
  ASSERT_TRUE(rs.insert(region(0x5000, 0x8000)));
  EXPECT_EQ(rs.find(0x5000)->start, 0x5000u);
  ASSERT_TRUE(rs.insert(region(0x1000, 0x2000)));  // before it: the index it had moves
  EXPECT_EQ(rs.find(0x5800)->start, 0x5000u);
  EXPECT_EQ(rs.find(0x1000)->start, 0x1000u);
  ASSERT_TRUE(rs.remove(0x1000, 0x2000));
  EXPECT_EQ(rs.find(0x1000), nullptr);
  EXPECT_EQ(rs.find(0x7fff)->start, 0x5000u);
  ASSERT_TRUE(rs.remove(0x6000, 0x7000));  // a split: 0x5000-0x6000 and 0x7000-0x8000
  EXPECT_EQ(rs.find(0x6000), nullptr);
  EXPECT_EQ(rs.find(0x7100)->start, 0x7000u);
  EXPECT_EQ(rs.find(0x5100)->end, 0x6000u);
  rs.clear();
  EXPECT_EQ(rs.find(0x5100), nullptr);
}

TEST(UnixRegions, RemoveSplitsAndMovesTheFileOffset) {
  Regions rs;
  Region f = region(0x10000, 0x15000);
  f.kind = RegionKind::File;
  f.file_node = 7;
  f.file_offset = 0x1000;
  f.file_bytes = 0x4800;
  f.file_end_page = 0x5000;
  ASSERT_TRUE(rs.insert(f));
  ASSERT_TRUE(rs.remove(0x11000, 0x12000));  // a hole in the middle
  ASSERT_EQ(rs.count(), 2u);
  EXPECT_EQ(rs.at(0).end, 0x11000u);
  EXPECT_EQ(rs.at(1).start, 0x12000u);
  EXPECT_EQ(rs.at(1).file_node, 7u);
  EXPECT_EQ(rs.at(1).file_offset, 0x3000u);
  EXPECT_EQ(rs.at(1).file_bytes, 0x2800u);
  EXPECT_EQ(rs.at(1).file_end_page, 0x3000u);
  EXPECT_TRUE(rs.remove(0, 0xf0000000));
  EXPECT_EQ(rs.count(), 0u);
}

TEST(UnixRegions, ProtectNeedsCoverageAndSplits) {
  Regions rs;
  ASSERT_TRUE(rs.insert(region(0x1000, 0x4000)));
  ASSERT_TRUE(rs.insert(region(0x5000, 0x6000)));
  EXPECT_FALSE(rs.protect(0x3000, 0x6000, abi::kPROT_WRITE));  // a gap at 0x4000
  EXPECT_EQ(rs.count(), 2u);
  EXPECT_EQ(rs.at(0).prot, static_cast<uint32_t>(abi::kPROT_READ));
  ASSERT_TRUE(rs.protect(0x2000, 0x3000, abi::kPROT_WRITE));
  ASSERT_EQ(rs.count(), 4u);
  EXPECT_EQ(rs.find(0x2000)->prot, static_cast<uint32_t>(abi::kPROT_WRITE));
  EXPECT_EQ(rs.find(0x1000)->prot, static_cast<uint32_t>(abi::kPROT_READ));
  EXPECT_EQ(rs.find(0x3000)->prot, static_cast<uint32_t>(abi::kPROT_READ));
  EXPECT_TRUE(rs.covered(0x1000, 0x4000));
  EXPECT_FALSE(rs.covered(0x1000, 0x4001));
}

TEST(UnixRegions, FullTableRefusesSplitsWithoutChangingAnything) {
  Regions rs;
  for (uint32_t i = 0; i < Regions::kMaxRegions; ++i)
    ASSERT_TRUE(rs.insert(region(0x100000 * (i + 1), 0x100000 * (i + 1) + 0x3000)));
  EXPECT_FALSE(rs.remove(0x101000, 0x102000));
  EXPECT_FALSE(rs.protect(0x101000, 0x102000, abi::kPROT_WRITE));
  EXPECT_EQ(rs.count(), Regions::kMaxRegions);
  EXPECT_EQ(rs.at(0).end, 0x103000u);
  EXPECT_EQ(rs.at(0).prot, static_cast<uint32_t>(abi::kPROT_READ));
  EXPECT_TRUE(rs.remove(0x100000, 0x102000));  // the head only: no slot needed
  EXPECT_EQ(rs.at(0).start, 0x102000u);
}

TEST(UnixRegions, FindFreeMoveAndResize) {
  Regions rs;
  ASSERT_TRUE(rs.insert(region(0x10000, 0x12000)));
  ASSERT_TRUE(rs.insert(region(0x13000, 0x14000)));
  EXPECT_EQ(rs.find_free(0x1000, 0x10000, 0x20000), 0x12000u);
  EXPECT_EQ(rs.find_free(0x2000, 0x10000, 0x20000), 0x14000u);
  EXPECT_EQ(rs.find_free(0x10000, 0x10000, 0x20000), 0u);
  EXPECT_FALSE(rs.move(0x10000, 0x12000));  // would overlap the second
  EXPECT_EQ(rs.count(), 2u);
  EXPECT_TRUE(rs.move(0x10000, 0x20000));
  EXPECT_EQ(rs.find(0x21fff)->start, 0x20000u);
  EXPECT_FALSE(rs.resize(0x13000, 0x21000));  // runs into the moved one
  EXPECT_TRUE(rs.resize(0x13000, 0x20000));
  EXPECT_EQ(rs.find(0x1ffff)->start, 0x13000u);
}

}  // namespace
}  // namespace unixemu
