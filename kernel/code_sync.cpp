// CK_SYNC_CODE (see code_sync.h).
#include "code_sync.h"

#include "arch/arch.h"

namespace ck {

namespace {

constexpr u32 kPageMask = ~(arch::kPageBytes - 1);

// Calls `each` with every page of [first, last] (page addresses) until it returns false.
template <typename Each>
bool for_each_page(u32 first, u32 last, Each each) {
  for (u32 page = first;; page += arch::kPageBytes) {
    if (!each(page)) return false;
    if (page == last) return true;
  }
}

}  // namespace

ck_status sync_code(PhysAddr root, VirtAddr va, u32 bytes) {
  if (bytes == 0) return CK_OK;
  if (bytes > CK_SYNC_CODE_MAX) return CK_E_ARGUMENT;
  if (va.value() + (bytes - 1) < va.value()) return CK_E_ADDRESS;  // wraps
  const u32 first = va.value() & kPageMask;
  const u32 last = (va.value() + (bytes - 1)) & kPageMask;
  // Check every page first: a refusal changes nothing.
  arch::PageState page;
  const bool mapped = for_each_page(first, last, [&](u32 at) { return arch::lookup_page(root, VirtAddr(at), &page); });
  if (!mapped) return CK_E_NOT_MAPPED;
  for_each_page(first, last, [&](u32 at) {
    arch::lookup_page(root, VirtAddr(at), &page);
    arch::sync_code_page(page.page);
    return true;
  });
  return CK_OK;
}

}  // namespace ck
