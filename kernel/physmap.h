// The physical memory map (paper §4.1): 16-byte dependency records {key, dependent,
// context, link} hashed by key. For every loaded mapping a physical-to-virtual record
// (key: physical page, dependent: virtual page, context: address space); later signal
// records (key: a p->v record) and copy-on-write records. It finds every mapping of a
// physical page (page reclamation, signal delivery). Fixed record array, no allocation.
// Pure; host-tested (tests/host/physmap_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck {

struct DependencyRecord {
  u32 key;
  u32 dependent;
  u32 context;
  u32 link;  // next record in the same bucket, or in the free list
};
static_assert(sizeof(DependencyRecord) == 16, "the paper's 16 bytes per mapping");

class PhysMap {
 public:
  static constexpr u32 kNone = 0xffffffff;
  // The context of a free record; never a valid context.
  static constexpr u32 kFree = 0xffffffff;

  // `records` holds `capacity` records; `buckets` holds `bucket_count` heads (a power
  // of two).
  void init(DependencyRecord* records, u32 capacity, u32* buckets, u32 bucket_count);

  // A new record, or kNone when every record is in use (nothing changes then).
  // `context` must not be kFree.
  u32 insert(u32 key, u32 dependent, u32 context);
  // Removes the record `index` (as insert or find returned it).
  void remove(u32 index);
  // The record with exactly these fields, or kNone.
  u32 find(u32 key, u32 dependent, u32 context) const;

  // Calls visit(index, record) for every record with `key`. `visit` may remove the
  // record it is given, and no other.
  template <typename Visitor>
  void for_each(u32 key, Visitor&& visit) {
    u32 i = buckets_[bucket_of(key)];
    while (i != kNone) {
      const u32 next = records_[i].link;
      if (records_[i].key == key) visit(i, records_[i]);
      i = next;
    }
  }

  // The same, reading only.
  template <typename Visitor>
  void for_each(u32 key, Visitor&& visit) const {
    for (u32 i = buckets_[bucket_of(key)]; i != kNone; i = records_[i].link)
      if (records_[i].key == key) visit(i, records_[i]);
  }

  const DependencyRecord& record(u32 index) const { return records_[index]; }
  // A record's context is not part of its key: its owner may change it (never to kFree).
  void set_context(u32 index, u32 context) { records_[index].context = context; }
  bool in_use(u32 index) const { return records_[index].context != kFree; }
  u32 used() const { return used_; }
  u32 capacity() const { return capacity_; }

 private:
  u32 bucket_of(u32 key) const {
    // Keys are page addresses or record indices: mix the bits so either spreads.
    const u32 h = (key >> 12) ^ key ^ (key >> 20);
    return (h * 0x9e3779b1u) >> (32 - bucket_bits_);
  }

  DependencyRecord* records_ = nullptr;
  u32* buckets_ = nullptr;
  u32 capacity_ = 0;
  u32 bucket_bits_ = 0;
  u32 free_ = kNone;
  u32 used_ = 0;
};

}  // namespace ck
