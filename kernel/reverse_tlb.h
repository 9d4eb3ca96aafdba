// The per-processor reverse TLB (paper §4.1): physical page -> the one thread its
// signals go to and that thread's virtual page, consulted before the two lookups in the
// physical memory map. Only pages with exactly one receiver are cached; an entry is
// dropped whenever the mapping it caches leaves or its page gains another receiver.
// Pure; host-tested (tests/host/reverse_tlb_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck {

class ReverseTlb {
 public:
  static constexpr u32 kEntries = 64;  // direct-mapped by page number

  struct Entry {
    u32 page = 0;     // physical page
    u32 thread = 0;   // the receiving thread's slot
    u32 va_page = 0;  // the page in the receiver's mapping
    bool valid = false;
  };

  // The entry for `page`, or nullptr (counted as a hit or a miss).
  const Entry* lookup(u32 page);
  void insert(u32 page, u32 thread, u32 va_page);
  void invalidate(u32 page);
  void clear() { *this = ReverseTlb(); }

  u32 hits() const { return hits_; }
  u32 misses() const { return misses_; }

 private:
  static u32 index(u32 page) { return (page >> 12) % kEntries; }

  Entry entries_[kEntries];
  u32 hits_ = 0;
  u32 misses_ = 0;
};

}  // namespace ck
