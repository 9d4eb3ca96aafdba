// User memory access (user_memory.h).
#include "user_memory.h"

#include <cstring>

#include "arch/arch.h"

namespace ck {

namespace {

constexpr u32 kPageMask = ~(arch::kPageBytes - 1);

// Every page of [va, va + bytes) is mapped (and writable when `write`).
bool accessible(PhysAddr space, VirtAddr va, u32 bytes, bool write) {
  if (bytes == 0) return true;
  const u32 last = va.value() + bytes - 1;
  if (last < va.value()) return false;  // wraps around the address space
  for (u32 page = va.value() & kPageMask;; page += arch::kPageBytes) {
    arch::PageState s;
    if (!arch::lookup_page(space, VirtAddr(page), &s) || (write && !s.writable)) return false;
    if (page == (last & kPageMask)) return true;
  }
}

// Calls copy(kernel pointer, offset, length) for each page-bounded piece.
template <typename Copy>
void for_each_piece(PhysAddr space, VirtAddr va, u32 bytes, Copy&& copy) {
  u32 done = 0;
  while (done < bytes) {
    const u32 at = va.value() + done;
    const u32 chunk =
        arch::kPageBytes - (at & ~kPageMask) < bytes - done ? arch::kPageBytes - (at & ~kPageMask) : bytes - done;
    arch::PageState s;
    arch::lookup_page(space, VirtAddr(at & kPageMask), &s);
    copy(static_cast<u8*>(arch::physical_memory(s.page + (at & ~kPageMask))), done, chunk, VirtAddr(at & kPageMask));
    done += chunk;
  }
}

}  // namespace

bool copy_from_user(PhysAddr space, VirtAddr va, void* to, u32 bytes) {
  if (!accessible(space, va, bytes, false)) return false;
  for_each_piece(space, va, bytes,
                 [&](const u8* p, u32 offset, u32 n, VirtAddr) { std::memcpy(static_cast<u8*>(to) + offset, p, n); });
  return true;
}

bool copy_to_user(PhysAddr space, VirtAddr va, const void* from, u32 bytes) {
  if (!accessible(space, va, bytes, true)) return false;
  for_each_piece(space, va, bytes, [&](u8* p, u32 offset, u32 n, VirtAddr page) {
    arch::mark_page_modified(space, page);
    std::memcpy(p, static_cast<const u8*>(from) + offset, n);
  });
  return true;
}

}  // namespace ck
