// The reverse TLB (reverse_tlb.h): hits, misses, replacement and invalidation.
#include "reverse_tlb.h"

#include <gtest/gtest.h>

namespace ck {
namespace {

TEST(ReverseTlb, CachesOneReceiverPerPage) {
  ReverseTlb t;
  EXPECT_EQ(t.lookup(0x00200000), nullptr);
  t.insert(0x00200000, 5, 0x40001000);
  const ReverseTlb::Entry* e = t.lookup(0x00200000);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->thread, 5u);
  EXPECT_EQ(e->va_page, 0x40001000u);
  EXPECT_EQ(t.hits(), 1u);
  EXPECT_EQ(t.misses(), 1u);
  EXPECT_EQ(t.lookup(0x00201000), nullptr) << "another page";
}

TEST(ReverseTlb, ACollidingPageReplacesTheEntryAndInvalidationIsExact) {
  ReverseTlb t;
  const u32 a = 0x00200000, b = a + ReverseTlb::kEntries * 4096;  // same slot
  t.insert(a, 1, 0x1000);
  t.invalidate(b);
  EXPECT_NE(t.lookup(a), nullptr) << "invalidating another page leaves it";
  t.insert(b, 2, 0x2000);
  EXPECT_EQ(t.lookup(a), nullptr);
  ASSERT_NE(t.lookup(b), nullptr);
  t.invalidate(b);
  EXPECT_EQ(t.lookup(b), nullptr);
  t.insert(a, 1, 0x1000);
  t.clear();
  EXPECT_EQ(t.lookup(a), nullptr);
  EXPECT_EQ(t.hits(), 0u) << "clear resets the counts";
}

}  // namespace
}  // namespace ck
