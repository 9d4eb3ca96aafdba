// The reverse TLB (reverse_tlb.h).
#include "reverse_tlb.h"

namespace ck {

const ReverseTlb::Entry* ReverseTlb::lookup(u32 page) {
  const Entry& e = entries_[index(page)];
  if (e.valid && e.page == page) {
    hits_ += 1;
    return &e;
  }
  misses_ += 1;
  return nullptr;
}

void ReverseTlb::insert(u32 page, u32 thread, u32 va_page) {
  entries_[index(page)] = Entry{.page = page, .thread = thread, .va_page = va_page, .valid = true};
}

void ReverseTlb::invalidate(u32 page) {
  Entry& e = entries_[index(page)];
  if (e.valid && e.page == page) e.valid = false;
}

}  // namespace ck
