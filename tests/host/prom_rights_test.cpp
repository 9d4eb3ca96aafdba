// The PROM table's copy (paper §3, §4; issue 17): page groups of the first kernel's
// memory it may read but not write, and may let any kernel read but none write.
#include "caches_fixture.h"

namespace ck {
namespace {

constexpr PhysAddr kTable = kMemoryBase + 3 * MiB;  // the last two groups of the 4 MiB
constexpr u32 kTableBytes = 1 * MiB;

class PromRightsTest : public CachesTest {
 protected:
  void SetUp() override {
    fake_machine::reset();
    caches_.init();
    srm_ = caches_.create_first_kernel(FirstKernelSetup{.memory = PhysRange{kMemoryBase, 4 * MiB},
                                                        .read_only = PhysRange{kTable, kTableBytes},
                                                        .ring = kSrmRing,
                                                        .ring_bytes = 4096,
                                                        .handler = VirtAddr(0x1000)});
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 1, CK_SPACE_HOME, &home_), CK_OK);
  }
};

TEST_F(PromRightsTest, TheFirstKernelReadsTheTableButCannotWriteIt) {
  EXPECT_EQ(caches_.load_mapping(srm_, home_, VirtAddr(0x68000000), kTable, 0), CK_OK);
  EXPECT_EQ(caches_.load_mapping(srm_, home_, VirtAddr(0x68001000), kTable + 4096, CK_MAP_WRITE), CK_E_NO_RIGHTS);
  // The rest of its memory is read-write as before.
  EXPECT_EQ(caches_.load_mapping(srm_, home_, VirtAddr(0x68002000), kMemoryBase + (3 * MiB - 4096), CK_MAP_WRITE),
            CK_OK);
}

TEST_F(PromRightsTest, OthersMayBeLetReadItNeverWrite) {
  ObjectId space;
  const u32 b = kernel_b(50, 8, &space);
  const u32 before = caches_.digest();
  EXPECT_EQ(caches_.set_memory_access(srm_, b_, kTable, kTableBytes, CK_RIGHTS_READ_WRITE), CK_E_NO_RIGHTS);
  // Overlapping the table in part is overlapping it.
  EXPECT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + (3 * MiB - 512 * KiB), 1 * MiB, CK_RIGHTS_READ_WRITE),
            CK_E_NO_RIGHTS);
  EXPECT_EQ(caches_.digest(), before) << "a refused grant changed nothing";
  EXPECT_EQ(caches_.load_mapping(b, space, VirtAddr(0x50000000), kTable, 0), CK_E_NO_RIGHTS);
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, kTable, kTableBytes, CK_RIGHTS_READ), CK_OK);
  EXPECT_EQ(caches_.load_mapping(b, space, VirtAddr(0x50000000), kTable, 0), CK_OK);
  EXPECT_EQ(caches_.load_mapping(b, space, VirtAddr(0x50001000), kTable, CK_MAP_WRITE), CK_E_NO_RIGHTS);
  // Read-write elsewhere in the first kernel's memory is still the first kernel's to give.
  EXPECT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + (3 * MiB - 512 * KiB), 512 * KiB, CK_RIGHTS_READ_WRITE),
            CK_OK);
}

}  // namespace
}  // namespace ck
