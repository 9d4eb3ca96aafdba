// The physical memory map (physmap.h).
#include "physmap.h"

#include "assert.h"

namespace ck {

void PhysMap::init(DependencyRecord* records, GroupLinks* links, u32 capacity, u32* buckets, u32 bucket_count) {
  CK_ASSERT(capacity <= kMaxCapacity);
  records_ = records;
  links_ = links;
  buckets_ = buckets;
  capacity_ = capacity;
  bucket_count_ = bucket_count;
  bucket_bits_ = 0;
  while ((1u << bucket_bits_) < bucket_count) ++bucket_bits_;
  for (u32 b = 0; b < bucket_count; ++b) buckets_[b] = kNone;
  free_ = kNone;
  for (u32 i = capacity; i-- > 0;) {
    records_[i] = DependencyRecord{0, 0, kFree, free_};
    links_[i] = GroupLinks{static_cast<u16>(i), static_cast<u16>(i), 0};
    free_ = i;
  }
  used_ = 0;
}

u32* PhysMap::link_to_head(u32 key) {
  for (u32* link = &buckets_[bucket_of(key)]; *link != kNone; link = &records_[*link].link)
    if (records_[*link].key == key) return link;
  return nullptr;
}

u32 PhysMap::insert(u32 key, u32 dependent, u32 context) {
  if (free_ == kNone) return kNone;
  const u32 index = free_;
  free_ = records_[index].link;
  used_ += 1;
  const u32 head = head_of(key);
  if (head == kNone) {
    // The first of its key: a head, at the front of its bucket's chain.
    u32& bucket = buckets_[bucket_of(key)];
    records_[index] = DependencyRecord{key, dependent, context, bucket};
    // A free record's ring is already itself alone (init, remove).
    CK_ASSERT(links_[index].next == index && links_[index].prev == index && links_[index].others == 0);
    bucket = index;
    return index;
  }
  // Another of its key: on the head's ring only, last.
  join(head, index, key, dependent, context);
  return index;
}

void PhysMap::remove(u32 index) {
  CK_ASSERT(index < capacity_ && in_use(index));
  u32* link = link_to_head(records_[index].key);
  CK_ASSERT(link != nullptr);  // a record in use has its key's group
  if (link == nullptr) return;
  const GroupLinks l = links_[index];
  if (*link == index) {
    // The head leaves: the next of its group takes its place on the chain.
    if (l.others == 0) {
      *link = records_[index].link;
    } else {
      records_[l.next].link = records_[index].link;
      links_[l.next].others = l.others - 1;
      *link = l.next;
    }
  } else {
    links_[*link].others -= 1;
  }
  links_[l.prev].next = l.next;
  links_[l.next].prev = l.prev;
  links_[index] = GroupLinks{static_cast<u16>(index), static_cast<u16>(index), 0};
  records_[index] = DependencyRecord{0, 0, kFree, free_};
  free_ = index;
  used_ -= 1;
}

u32 PhysMap::find(u32 key, u32 dependent, u32 context) const {
  u32 found = kNone;
  for_each(key, [&](u32 i, const DependencyRecord& r) {
    if (found == kNone && r.dependent == dependent && r.context == context) found = i;
  });
  return found;
}

const char* PhysMap::fault() const {
  u32 seen = 0;
  for (u32 b = 0; b < bucket_count_; ++b) {
    for (u32 h = buckets_[b]; h != kNone; h = records_[h].link) {
      if (h >= capacity_ || !in_use(h)) return "a bucket's chain holds a free or no record";
      if (bucket_of(records_[h].key) != b) return "a head is on another key's bucket";
      if (++seen > capacity_) return "a bucket's chain does not end";
      u32 steps = 0;
      for (u32 o = records_[h].link; o != kNone && o < capacity_ && ++steps <= capacity_; o = records_[o].link)
        if (records_[o].key == records_[h].key) return "two heads of one key";
      u32 members = 1;
      for (u32 i = links_[h].next; i != h; i = links_[i].next) {
        if (!in_use(i) || records_[i].key != records_[h].key) return "a group's ring holds another key's record";
        if (links_[links_[i].prev].next != i) return "a group's ring is not linked both ways";
        if (++members > capacity_ || ++seen > capacity_) return "a group's ring does not end";
      }
      if (links_[links_[h].prev].next != h) return "a group's ring is not linked both ways";
      if (members != links_[h].others + 1u) return "a group's count is wrong";
    }
  }
  return seen == used_ ? nullptr : "a record in use is in no group";
}

}  // namespace ck
