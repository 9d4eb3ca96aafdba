// The mapping side of the Cache Kernel (paper §2.1, §2.2, §4.1): every loaded page
// mapping is a translation in its space's page tables plus a physical-to-virtual record
// in the physical memory map (physmap.h); a message-mode mapping with a signal thread
// has a second, signal record keyed by its mapping record; the per-processor reverse
// TLB caches a page's single receiver. This part finds every mapping of a physical page
// (page unloads, multi-mapping consistency, signal delivery) and every signal mapping of
// a thread.
//
// A mapping record's key is its physical page and its class (receiver, writable, other),
// so that each walk visits only the mappings it is about: a signal its page's receivers,
// a flush the page's writable mappings. A page has at most CK_PAGE_MAPPINGS_MAX mappings,
// and a page with a receiver at most CK_MESSAGE_PAGE_MAPPINGS_MAX receiving and writable
// ones: every walk over one page's mappings, done with interrupts masked, is bounded.
//
// Owns: the dependency records and their hash buckets, the reverse TLB, and the counts
// of mappings and signal mappings per space and per thread.
// Invariants: a mapping record exists exactly for each translation in a loaded space's
// tables; a signal record exists exactly for each mapping record flagged kSignal, and
// names a loaded thread of the space's owner; the counts equal the records; a reverse
// TLB entry names the page's only receiver (invariants.cpp).
#pragma once

#include "config.h"
#include "object_tables.h"
#include "physmap.h"
#include "reverse_tlb.h"

namespace ck {

// Flag bits of a mapping record's `dependent` (virtual page | flags).
namespace mapping_flag {
inline constexpr u32 kLocked = 1u << 0;
inline constexpr u32 kWritable = 1u << 1;
inline constexpr u32 kMessage = 1u << 2;
inline constexpr u32 kSignal = 1u << 3;  // it has a signal record
inline constexpr u32 kMask = 0xfff;
}  // namespace mapping_flag

// One loaded mapping, as its record gives it.
struct Mapping {
  u32 space = kNoSlot;
  VirtAddr va;
  PhysAddr pa;
  u32 flags = 0;  // mapping_flag
  bool has(u32 flag) const { return (flags & flag) != 0; }
};

class MemoryMap {
 public:
  static constexpr u32 kNone = PhysMap::kNone;

  explicit MemoryMap(const ObjectTables& tables) : tables_(tables) {}
  void reset();

  // ---- Lookups -----------------------------------------------------------------
  // The record of the mapping of `va` in `space`, or kNone: one table walk.
  u32 find(u32 space, VirtAddr va) const;
  Mapping mapping(u32 record) const;
  // A record in use that is a mapping (not a signal record).
  bool is_mapping(u32 record) const {
    return physmap_.in_use(record) && physmap_.record(record).context < kSpaceCapacity;
  }
  // The slot of the signal thread of a mapping flagged kSignal.
  u32 signal_thread(u32 record) const;
  u32 capacity() const { return physmap_.capacity(); }
  u32 used() const { return physmap_.used(); }
  u32 free_records() const { return physmap_.capacity() - physmap_.used(); }
  u32 mappings(u32 space) const { return spaces_[space].mappings; }
  u32 signal_mappings(u32 space) const { return spaces_[space].signal_mappings; }
  // Threads of the space that are some mapping's signal thread.
  u32 signal_threads(u32 space) const { return spaces_[space].signal_threads; }
  u32 thread_signal_mappings(u32 thread) const { return thread_signal_mappings_[thread]; }
  // The mappings of physical `page`.
  u32 mappings_of_page(PhysAddr page) const {
    u32 counts[PhysMap::kFamilyBits + 1];
    physmap_.count_family(page.value(), counts);
    return counts[0] + counts[1] + counts[2];
  }
  // With none, no page has a receiver: nothing to look up.
  bool any_signal_records() const { return signal_records_ != 0; }
  const ReverseTlb& reverse_tlb() const { return rtlb_; }

  // ---- Loading -------------------------------------------------------------------
  // Whether `va` in `space` is free for a mapping (else CK_E_ALREADY_MAPPED), and where
  // its translation goes (`*slot`, for map(): the load's one table walk).
  ck_status check_free(u32 space, VirtAddr va, arch::PageSlot* slot) const {
    return arch::page_free(tables_.root_of(space), va, slot) ? CK_OK : CK_E_ALREADY_MAPPED;
  }
  // Whether physical `pa` may take one more mapping with these flags (a signal thread:
  // `receives`), else CK_E_SHARED; where its record goes in `*place` (for record():
  // the load's one walk of the page's bucket).
  ck_status check_sharing(PhysAddr pa, u32 flags, bool receives, PhysMap::Place* place) const;
  // A mapping is added in two steps. map() enters the translation at the place
  // check_free found: the last check of a load, since the page tables it needs may be
  // exhausted (CK_E_NO_TABLES), and then the tables are as they were. record() adds its
  // records (1, or 2 with a signal thread, a thread of the space's owner), once the
  // victims that free them have left. map() tags the translation with the record the
  // insert will take (`victim`: the last victim to leave, whose record comes free last,
  // kNone: the next free one), so that record() walks the tables again only when that
  // guess was wrong (a victim with a signal thread, whose page's writable mappings leave
  // after it).
  ck_status map(const arch::PageSlot& slot, u32 space, VirtAddr va, PhysAddr pa, u32 flags, bool cached, bool written,
                u32 victim);
  // Takes back the translation map() entered, before its records (a later check failed).
  void unmap(u32 space, VirtAddr va);
  // `place`: check_sharing's, when the map has not changed since (no victims left) or
  // as place_after_drop made it, else null.
  u32 record(u32 space, VirtAddr va, PhysAddr pa, u32 flags, u32 signal_thread, const PhysMap::Place* place);
  // check_sharing's `*place` as it will be once `victim` (a mapping's record, dropped
  // next) is removed; false when the drop may remove more than that record (a signal
  // mapping: its signal record and the page's flushed mappings), the place then lost.
  bool place_after_drop(u32 victim, PhysMap::Place* place) const {
    if (mapping(victim).has(mapping_flag::kSignal)) return false;
    *place = physmap_.place_after_removal(victim, *place);
    return true;
  }

  // ---- Unloading -----------------------------------------------------------------
  // Removes the mapping and its records; the page's final state (used, modified).
  arch::PageState remove(u32 record, const Mapping& m);
  // The replacement clock's second chance: clears the page's used bit, true when it was
  // set.
  bool take_used(const Mapping& m);

  // ---- Iteration -----------------------------------------------------------------
  // visit(record, mapping) for each mapping of physical `page`: receivers, writable
  // ones, the others. Reading only.
  template <typename Visit>
  void for_each_of_page(PhysAddr page, Visit&& visit) const {
    for (const PageClass c : kClasses)
      physmap_.for_each(page_key(page, c), [&](u32 i, const DependencyRecord&) { visit(i, mapping(i)); });
  }
  // visit(record, mapping) for each mapping of `page` that is no receiver; `visit` may
  // remove the mapping it is given (a removal that flushes none), and no other.
  template <typename Visit>
  void for_each_sender_or_plain_of_page(PhysAddr page, Visit&& visit) {
    for (const PageClass c : kNonReceivers)
      physmap_.for_each(page_key(page, c), [&](u32 i, const DependencyRecord&) { visit(i, mapping(i)); });
  }
  // The first receiver of `page` `accept` takes, or kNone.
  template <typename Accept>
  u32 first_receiver_of_page(PhysAddr page, Accept&& accept) const {
    u32 found = kNone;
    physmap_.for_each(page_key(page, PageClass::Receiver), [&](u32 i, const DependencyRecord&) {
      if (found == kNone && accept(mapping(i))) found = i;
    });
    return found;
  }
  // visit(record, mapping) for each writable mapping of `page` (a multi-mapping flush
  // takes them all). Reading only.
  template <typename Visit>
  void for_each_writable_of_page(PhysAddr page, Visit&& visit) const {
    for (const PageClass c : kMayWrite) {
      physmap_.for_each(page_key(page, c), [&](u32 i, const DependencyRecord& r) {
        if ((r.dependent & mapping_flag::kWritable) != 0) visit(i, mapping(i));
      });
    }
  }
  // The first of them, or kNone.
  u32 first_writable_of_page(PhysAddr page) const {
    const u32 writable = physmap_.first(page_key(page, PageClass::Writable));
    if (writable != kNone) return writable;
    u32 found = kNone;
    physmap_.for_each(page_key(page, PageClass::Receiver), [&](u32 i, const DependencyRecord& r) {
      if (found == kNone && (r.dependent & mapping_flag::kWritable) != 0) found = i;
    });
    return found;
  }
  // The record of the first mapping of `space` at or above `from` (address order), or
  // kNone. The walk starts no lower than the space's lowest mapping as last known
  // (`SpaceCounts::low`), so that the unloads that walk a space again and again from
  // address 0 (a restartable unload's each call, drop_space after each mapping) do not
  // scan the empty tables below its mappings each time.
  u32 next_in_space(u32 space, VirtAddr from) const;
  // visit(record) for each mapping whose signal thread is `thread` (its own list: as
  // many steps as it has). Reading only.
  template <typename Visit>
  void for_each_signal_mapping_of(u32 thread, Visit&& visit) const {
    for (u32 i = signal_head_[thread]; i != kNone; i = next_signal(physmap_.record(i)))
      visit(mapping_of_key(physmap_.record(i).key));
  }
  // The first of them, or kNone.
  u32 first_signal_mapping_of(u32 thread) const {
    const u32 i = signal_head_[thread];
    return i == kNone ? kNone : mapping_of_key(physmap_.record(i).key);
  }
  // The receivers of a signal on physical `page` (§4.1). The reverse TLB first: the
  // page's one receiver when it is cached (the lookup is counted), or null.
  const ReverseTlb::Entry* cached_receiver(PhysAddr page) { return rtlb_.lookup(page.value()); }
  // Otherwise the page's receivers: visit(thread, va_page) for each. Reading only.
  template <typename Visit>
  void for_each_receiver(PhysAddr page, Visit&& visit) const {
    physmap_.for_each(page_key(page, PageClass::Receiver), [&](u32 i, const DependencyRecord& r) {
      visit(signal_thread(i), r.dependent & ~mapping_flag::kMask);
    });
  }
  // A page found to have exactly one receiver: cached for its next signal.
  void remember_receiver(PhysAddr page, u32 thread, u32 va_page) { rtlb_.insert(page.value(), thread, va_page); }

 private:
  friend class Invariants;
  friend struct FastPathLayout;  // CK_LOAD_MAPPING's entry path adds a record (calls.cpp)

  // A mapping record's key: its page and its class (the low bits of a page address).
  enum class PageClass : u32 { Plain = 0, Receiver = 1, Writable = 2 };
  static constexpr PageClass kClasses[] = {PageClass::Receiver, PageClass::Writable, PageClass::Plain};
  static constexpr PageClass kNonReceivers[] = {PageClass::Writable, PageClass::Plain};
  static constexpr PageClass kMayWrite[] = {PageClass::Receiver, PageClass::Writable};
  static constexpr u32 page_key(PhysAddr page, PageClass c) { return page.value() | static_cast<u32>(c); }
  static constexpr u32 kClassMask = 3;
  static_assert(kClassMask == PhysMap::kFamilyBits, "a page's classes are one family of keys");
  static constexpr PageClass class_of(u32 flags) {
    if ((flags & mapping_flag::kSignal) != 0) return PageClass::Receiver;
    return (flags & mapping_flag::kWritable) != 0 ? PageClass::Writable : PageClass::Plain;
  }

  // A signal record's key: its mapping record's index, never a page address (those have
  // no low bits set). Its context is no address space.
  static constexpr u32 signal_key(u32 mapping_record) { return mapping_record << 12 | 0x800; }
  static constexpr u32 mapping_of_key(u32 key) { return key >> 12; }
  // A signal record's context is no address space: a tag, and the next signal record of
  // the same thread (each thread's signal records are a list, signal_head_ first).
  static constexpr u32 kSignalTag = 0xfff00000;
  static constexpr u32 kSignalEnd = 0x000ffffe;  // tag | end != PhysMap::kFree
  static_assert(kMappingCapacity < kSignalEnd, "a record index fits beside the tag");
  static_assert(kMappingCapacity <= PhysMap::kMaxCapacity, "group links are 16 bits");
  static constexpr u32 signal_context(u32 next) { return kSignalTag | (next == kNone ? kSignalEnd : next); }
  static constexpr bool is_signal_context(u32 context) {
    return context != PhysMap::kFree && (context & kSignalTag) == kSignalTag;
  }
  static u32 next_signal(const DependencyRecord& r) {
    const u32 next = r.context & ~kSignalTag;
    return next == kSignalEnd ? kNone : next;
  }
  u32 signal_record_of(u32 mapping_record) const;
  // Takes the signal record `index` of `thread` off the thread's list.
  void unlink_signal(u32 thread, u32 index);

  struct SpaceCounts {
    u32 mappings = 0;
    u32 signal_mappings = 0;
    u32 signal_threads = 0;
    // No mapping of the space lies below this address: lowered by record(), raised by
    // a walk that started there (next_in_space, which only reads the mappings: mutable).
    mutable u32 low = 0;
  };

  const ObjectTables& tables_;
  DependencyRecord records_[kMappingCapacity];
  GroupLinks links_[kMappingCapacity];
  u32 buckets_[physmap_buckets(kMappingCapacity)];
  PhysMap physmap_;
  ReverseTlb rtlb_;
  u32 signal_records_ = 0;
  u32 tagged_ = kNone;  // the tag map() wrote last
  SpaceCounts spaces_[kSpaceCapacity];
  u32 thread_signal_mappings_[kThreadCapacity] = {};
  u32 signal_head_[kThreadCapacity];  // set by reset()
};

// On the path of every mapping unload and signal: inline.
inline u32 MemoryMap::find(u32 space, VirtAddr va) const {
  // The record's index is kept beside the translation (record()).
  u32 found;
  if (!arch::page_tag(tables_.root_of(space), va, &found)) return kNone;
  CK_ASSERT(found < physmap_.capacity() && physmap_.record(found).context == space &&
            (physmap_.record(found).dependent & ~mapping_flag::kMask) == va.value());
  return found;
}

inline arch::PageState MemoryMap::remove(u32 record, const Mapping& m) {
  arch::PageState state;
  const arch::MapStatus s = arch::unmap_page(tables_.root_of(m.space), m.va, &state);
  CK_ASSERT(s == arch::MapStatus::Ok && state.page == m.pa);
  static_cast<void>(s);
  if (m.has(mapping_flag::kSignal)) {
    const u32 index = signal_record_of(record);
    const u32 thread = physmap_.record(index).dependent;
    unlink_signal(thread, index);
    if (--thread_signal_mappings_[thread] == 0) spaces_[tables_.thread(thread).home_space()].signal_threads -= 1;
    spaces_[m.space].signal_mappings -= 1;
    physmap_.remove(index);
    signal_records_ -= 1;
    rtlb_.invalidate(m.pa.value());
  }
  physmap_.remove(record);
  spaces_[m.space].mappings -= 1;
  return state;
}

}  // namespace ck
