// The page-table pool (table_pool.h).
#include "arch/m68k/table_pool.h"

#include "assert.h"

namespace ck::m68k {

void TablePool::init(u32* window, PhysAddr base, u32 bytes, TableBlock* blocks) {
  base_ = base;
  set_window(window);
  bytes_ = bytes - bytes % kChunkBytes;
  blocks_ = blocks;
  free_chunks_ = kNone;
  free_blocks_ = 0;
  forget();
  const u32 chunks = bytes_ / kChunkBytes;
  // Pushed from the top so that allocation proceeds from the lowest address.
  for (u32 c = chunks; c-- > 0;) {
    // What the memory holds is unknown: each chunk is cleared when first allocated.
    blocks_[2 * c] = TableBlock{.entries_in_use = 0, .free = 1, .dirty = 1};
    blocks_[2 * c + 1] = blocks_[2 * c];
    push(free_chunks_, 2 * c);
    free_blocks_ += 2;
  }
}

PhysAddr TablePool::allocate(TableKind kind) {
  if (free_chunks_ == kNone) return PhysAddr(0);
  const u32 index = pop(free_chunks_);
  blocks_[index].free = 0;
  blocks_[index + 1].free = 0;
  free_blocks_ -= 2;
  if (blocks_[index].dirty != 0) {
    clear(index, table_bytes(kind) / kBlockBytes);
  } else {
    next_of(index) = prev_of(index) = 0;  // the links were its only words not 0
  }
  CK_ASSERT(zero(index));
  blocks_[index].dirty = 0;
  blocks_[index].entries_in_use = 0;
  return address_of(index);
}

void TablePool::release(PhysAddr table, TableKind, TableContents contents) {
  const u32 index = index_of(table);
  CK_ASSERT(contents == TableContents::Dirty || zero(index));
  forget();
  blocks_[index].dirty = contents == TableContents::Zero ? 0 : 1;
  blocks_[index].free = 1;
  blocks_[index + 1].free = 1;
  free_blocks_ += 2;
  push(free_chunks_, index);
}

void TablePool::push(u32& head, u32 index) {
  prev_of(index) = kNone;
  next_of(index) = head;
  if (head != kNone) prev_of(head) = index;
  head = index;
}

u32 TablePool::pop(u32& head) {
  const u32 index = head;
  unlink(head, index);
  return index;
}

void TablePool::unlink(u32& head, u32 index) {
  const u32 next = next_of(index);
  const u32 prev = prev_of(index);
  if (prev != kNone) {
    next_of(prev) = next;
  } else {
    head = next;
  }
  if (next != kNone) prev_of(next) = prev;
}

bool TablePool::zero(u32 index) const {
  const u32* words = entries(address_of(index));
  for (u32 i = 0; i < kChunkBytes / 4; ++i)
    if (words[i] != 0) return false;
  return true;
}

void TablePool::clear(u32 index, u32 count) {
  u32* words = entries(address_of(index));
  for (u32 i = 0; i < count * kBlockBytes / 4; ++i) words[i] = 0;
}

}  // namespace ck::m68k
