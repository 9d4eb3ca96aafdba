// The physical memory map (paper §4.1): 16-byte dependency records {key, dependent,
// context, link} hashed by key. For every loaded mapping a physical-to-virtual record
// (key: physical page, dependent: virtual page, context: address space); later signal
// records (key: a p->v record) and copy-on-write records. It finds every mapping of a
// physical page (page reclamation, signal delivery). Fixed record array, no allocation.
//
// Records with the same key form a group: its first record (the head) is on its
// bucket's chain, the others only on the head's ring. A bucket's chain is as long as the
// distinct keys that hash to it, however many records share one key: a page mapped
// thousands of times costs a lookup of another page nothing, and the walk of one key
// visits its own records only. Insert and remove are O(1) beyond the chain of distinct
// keys.
// Pure; host-tested (tests/host/physmap_test.cpp).
#pragma once

#include "assert.h"
#include "lib/types.h"

namespace ck {

struct DependencyRecord {
  u32 key;
  u32 dependent;
  u32 context;
  u32 link;  // a head: the next head in its bucket; a free record: the next free one
};
static_assert(sizeof(DependencyRecord) == 16, "the paper's 16 bytes per mapping");

// Beside each record: its group's ring (16-bit indices: at most 65,536 records).
struct GroupLinks {
  u16 next;
  u16 prev;
  u16 others;  // a head: the records of its group besides itself
};

class PhysMap {
 public:
  static constexpr u32 kNone = 0xffffffff;
  // The context of a free record; never a valid context.
  static constexpr u32 kFree = 0xffffffff;
  static constexpr u32 kMaxCapacity = 65536;

  // `records` and `links` hold `capacity` entries (at most kMaxCapacity); `buckets`
  // holds `bucket_count` heads (a power of two).
  void init(DependencyRecord* records, GroupLinks* links, u32 capacity, u32* buckets, u32 bucket_count);

  // A new record, or kNone when every record is in use (nothing changes then).
  // `context` must not be kFree. It joins the end of its key's group.
  u32 insert(u32 key, u32 dependent, u32 context);
  // Where a key's group is: its bucket and its head (kNone: no record has the key),
  // as a walk of the bucket found them. Valid until the map next changes.
  struct Place {
    u32 bucket = 0;
    u32 head = kNone;
  };
  // insert() at the place count_family gave for `key`, with no changes in between:
  // without hashing the key or walking its bucket again (a mapping load's one walk).
  u32 insert_at(const Place& place, u32 key, u32 dependent, u32 context) {
    CK_ASSERT(place.bucket == bucket_of(key) && place.head == head_of(key));
    if (free_ == kNone) return kNone;
    const u32 index = free_;
    free_ = records_[index].link;
    used_ += 1;
    if (place.head == kNone) {
      // The first of its key: a head, at the front of its bucket's chain.
      u32& bucket = buckets_[place.bucket];
      records_[index] = DependencyRecord{key, dependent, context, bucket};
      // A free record's ring is already itself alone (init, remove).
      CK_ASSERT(links_[index].next == index && links_[index].prev == index && links_[index].others == 0);
      bucket = index;
      return index;
    }
    join(place.head, index, key, dependent, context);
    return index;
  }
  // Removes the record `index` (as insert or find returned it).
  void remove(u32 index);
  // The record with exactly these fields, or kNone.
  u32 find(u32 key, u32 dependent, u32 context) const;
  // The records with `key`.
  u32 count(u32 key) const {
    const u32 head = head_of(key);
    return head == kNone ? 0 : links_[head].others + 1u;
  }
  // The first record with `key` (the oldest), or kNone.
  u32 first(u32 key) const { return head_of(key); }
  // Keys that differ only in their two low bits are a family (a page's classes of
  // mapping, memory_map.h) and share a bucket: `counts[c]` is the count of key
  // `base | c`, for `base` with those bits clear, all from one walk of that bucket.
  static constexpr u32 kFamilyBits = 3;
  void count_family(u32 base, u32 (&counts)[kFamilyBits + 1]) const {
    for (u32& c : counts) c = 0;
    for (u32 i = buckets_[bucket_of(base)]; i != kNone; i = records_[i].link)
      if ((records_[i].key & ~kFamilyBits) == base) counts[records_[i].key & kFamilyBits] = links_[i].others + 1u;
  }
  // The same, and the place of the family's key `base | member` in `*place` (for
  // insert_at), from that one walk.
  void count_family(u32 base, u32 (&counts)[kFamilyBits + 1], u32 member, Place* place) const {
    for (u32& c : counts) c = 0;
    place->bucket = bucket_of(base);
    place->head = kNone;
    for (u32 i = buckets_[place->bucket]; i != kNone; i = records_[i].link) {
      if ((records_[i].key & ~kFamilyBits) != base) continue;
      counts[records_[i].key & kFamilyBits] = links_[i].others + 1u;
      if ((records_[i].key & kFamilyBits) == member) place->head = i;
    }
  }
  // The record the next insert takes, or kNone when none is free.
  u32 next_free() const { return free_; }
  // What `place` (count_family's, for a key) becomes once the record `index` (in use)
  // is removed: records never move, so only the removal of the key's head changes it
  // (remove() makes the next of its group the head, or none is left).
  Place place_after_removal(u32 index, Place place) const {
    if (place.head == index) place.head = links_[index].others == 0 ? kNone : links_[index].next;
    return place;
  }

  // Calls visit(index, record) for every record with `key`, oldest first. `visit` may
  // remove the record it is given, and no other.
  template <typename Visitor>
  void for_each(u32 key, Visitor&& visit) {
    const u32 head = head_of(key);
    if (head == kNone) return;
    const u32 last = links_[head].prev;
    for (u32 i = head;;) {
      const u32 next = links_[i].next;
      const bool end = i == last;
      visit(i, records_[i]);
      if (end) return;
      i = next;
    }
  }

  // The same, reading only.
  template <typename Visitor>
  void for_each(u32 key, Visitor&& visit) const {
    const u32 head = head_of(key);
    if (head == kNone) return;
    u32 i = head;
    do {
      visit(i, records_[i]);
      i = links_[i].next;
    } while (i != head);
  }

  const DependencyRecord& record(u32 index) const { return records_[index]; }
  // A record's context is not part of its key: its owner may change it (never to kFree).
  void set_context(u32 index, u32 context) { records_[index].context = context; }
  bool in_use(u32 index) const { return records_[index].context != kFree; }
  u32 used() const { return used_; }
  u32 capacity() const { return capacity_; }

  // The structure checked whole (the invariant checker): every chain holds distinct
  // keys of its bucket, every ring the records of its head's key, linked both ways and
  // counted, and together they hold every record in use. A description of the first
  // fault, or null.
  const char* fault() const;

 private:
  friend struct FastPathLayout;  // CK_LOAD_MAPPING's entry path inserts a record (calls.cpp)
  u32 bucket_of(u32 key) const {
    // Keys are page addresses or record indices: mix the bits so either spreads. A
    // family's keys (the two low bits aside) land together.
    key &= ~kFamilyBits;
    const u32 h = (key >> 12) ^ key ^ (key >> 20);
    return (h * 0x9e3779b1u) >> (32 - bucket_bits_);
  }
  // Puts the free record `index` last on the ring of `head`, a head of `key`.
  void join(u32 head, u32 index, u32 key, u32 dependent, u32 context) {
    records_[index] = DependencyRecord{key, dependent, context, kNone};
    const u16 tail = links_[head].prev;
    links_[index] = GroupLinks{static_cast<u16>(head), tail, 0};
    links_[tail].next = static_cast<u16>(index);
    links_[head].prev = static_cast<u16>(index);
    links_[head].others += 1;
  }
  // The link (a bucket or a head's `link`) that holds the head of `key`, or null.
  u32* link_to_head(u32 key);
  u32 head_of(u32 key) const {
    for (u32 i = buckets_[bucket_of(key)]; i != kNone; i = records_[i].link)
      if (records_[i].key == key) return i;
    return kNone;
  }

  DependencyRecord* records_ = nullptr;
  GroupLinks* links_ = nullptr;
  u32* buckets_ = nullptr;
  u32 capacity_ = 0;
  u32 bucket_count_ = 0;
  u32 bucket_bits_ = 0;
  u32 free_ = kNone;
  u32 used_ = 0;
};

}  // namespace ck
