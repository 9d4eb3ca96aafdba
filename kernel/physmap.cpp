// The physical memory map (physmap.h).
#include "physmap.h"

#include "assert.h"

namespace ck {

void PhysMap::init(DependencyRecord* records, u32 capacity, u32* buckets, u32 bucket_count) {
  records_ = records;
  buckets_ = buckets;
  capacity_ = capacity;
  bucket_bits_ = 0;
  while ((1u << bucket_bits_) < bucket_count) ++bucket_bits_;
  for (u32 b = 0; b < bucket_count; ++b) buckets_[b] = kNone;
  free_ = kNone;
  for (u32 i = capacity; i-- > 0;) {
    records_[i] = DependencyRecord{0, 0, kFree, free_};
    free_ = i;
  }
  used_ = 0;
}

u32 PhysMap::insert(u32 key, u32 dependent, u32 context) {
  if (free_ == kNone) return kNone;
  const u32 index = free_;
  free_ = records_[index].link;
  u32& head = buckets_[bucket_of(key)];
  records_[index] = DependencyRecord{key, dependent, context, head};
  head = index;
  used_ += 1;
  return index;
}

void PhysMap::remove(u32 index) {
  CK_ASSERT(index < capacity_ && in_use(index));
  u32* link = &buckets_[bucket_of(records_[index].key)];
  while (*link != index && *link != kNone) link = &records_[*link].link;
  CK_ASSERT(*link == index);  // a record in use is on its bucket's chain
  if (*link != index) return;
  *link = records_[index].link;
  records_[index] = DependencyRecord{0, 0, kFree, free_};
  free_ = index;
  used_ -= 1;
}

u32 PhysMap::find(u32 key, u32 dependent, u32 context) const {
  for (u32 i = buckets_[bucket_of(key)]; i != kNone; i = records_[i].link) {
    const DependencyRecord& r = records_[i];
    if (r.key == key && r.dependent == dependent && r.context == context) return i;
  }
  return kNone;
}

}  // namespace ck
