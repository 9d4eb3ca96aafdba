// User memory access (user_memory.h).
#include "user_memory.h"

#include <cstring>

#include "arch/arch.h"

namespace ck {

namespace {

constexpr u32 kPageMask = ~(arch::kPageBytes - 1);
constexpr u32 kSmallCopyBytes = 32;

// The pages under a copy of at most kMaxUserCopyBytes: one or two.
struct Pages {
  arch::PageState page[2];
  u32 count = 0;
};

// One table walk per page: every page of [va, va + bytes) is mapped (and writable
// when `write`), and `out` says where.
bool resolve(PhysAddr space, VirtAddr va, u32 bytes, bool write, Pages* out) {
  if (bytes == 0) return true;
  if (bytes > kMaxUserCopyBytes) return false;
  const u32 last = va.value() + bytes - 1;
  if (last < va.value()) return false;  // wraps around the address space
  const u32 first_page = va.value() & kPageMask;
  out->count = first_page == (last & kPageMask) ? 1 : 2;
  for (u32 i = 0; i < out->count; ++i) {
    arch::PageState& s = out->page[i];
    if (!arch::lookup_page(space, VirtAddr(first_page + i * arch::kPageBytes), &s) || (write && !s.writable))
      return false;
  }
  return true;
}

// Calls copy(kernel pointer, offset, length, page) for each page-bounded piece.
template <typename Copy>
void for_each_piece(const Pages& pages, VirtAddr va, u32 bytes, Copy&& copy) {
  u32 done = 0;
  for (u32 i = 0; i < pages.count; ++i) {
    const u32 offset = (va.value() + done) & ~kPageMask;
    const u32 chunk = arch::kPageBytes - offset < bytes - done ? arch::kPageBytes - offset : bytes - done;
    copy(static_cast<u8*>(arch::physical_memory(pages.page[i].page + offset)), done, chunk, i);
    done += chunk;
  }
}

}  // namespace

bool copy_from_user(PhysAddr space, VirtAddr va, void* to, u32 bytes) {
  // One page, the common case (a call's argument, a thread state): one table walk and
  // one copy, without the two-page bookkeeping.
  const u32 offset = va.value() & ~kPageMask;
  if (bytes != 0 && offset + bytes <= arch::kPageBytes) {
    PhysAddr page;
    if (!arch::translate_page(space, va, &page)) return false;
    const void* from = arch::physical_memory(page + offset);
    if (bytes <= kSmallCopyBytes && bytes % 4 == 0) {
      // A call's small argument (a kernel's descriptor, 20 bytes): its longwords moved
      // here, without memcpy's call and set-up (about 15 instructions of 30).
      using Word [[gnu::aligned(1), gnu::may_alias]] = u32;
      Word* d = static_cast<Word*>(to);
      const Word* s = static_cast<const Word*>(from);
      for (u32 words = bytes / 4; words != 0; --words) *d++ = *s++;
      return true;
    }
    std::memcpy(to, from, bytes);
    return true;
  }
  Pages pages;
  if (!resolve(space, va, bytes, false, &pages)) return false;
  for_each_piece(pages, va, bytes,
                 [&](const u8* p, u32 at, u32 n, u32) { std::memcpy(static_cast<u8*>(to) + at, p, n); });
  return true;
}

const void* user_view(PhysAddr space, VirtAddr va, u32 bytes) {
  const u32 offset = va.value() & ~kPageMask;
  if (bytes == 0 || offset % 4 != 0 || offset + bytes > arch::kPageBytes) return nullptr;
  PhysAddr page;
  if (!arch::translate_page(space, va, &page)) return nullptr;
  return arch::physical_memory(page + offset);
}

bool copy_to_user(PhysAddr space, VirtAddr va, const void* from, u32 bytes) {
  // One page, the common case (a call's result: CK_EXCEPTION_FPU's registers, a thread's
  // statistics): one table walk and one copy, without the two-page bookkeeping.
  const u32 in_page = va.value() & ~kPageMask;
  if (bytes != 0 && in_page + bytes <= arch::kPageBytes) {
    const VirtAddr page(va.value() & kPageMask);
    arch::PageState s;
    if (!arch::lookup_page(space, page, &s) || !s.writable) return false;
    if (!s.used || !s.modified) arch::mark_page_modified(space, page);
    std::memcpy(arch::physical_memory(s.page + in_page), from, bytes);
    return true;
  }
  Pages pages;
  if (!resolve(space, va, bytes, true, &pages)) return false;
  for_each_piece(pages, va, bytes, [&](u8* p, u32 offset, u32 n, u32 i) {
    const arch::PageState& s = pages.page[i];
    if (!s.used || !s.modified) arch::mark_page_modified(space, VirtAddr((va.value() + offset) & kPageMask));
    std::memcpy(p, static_cast<const u8*>(from) + offset, n);
  });
  return true;
}

}  // namespace ck
