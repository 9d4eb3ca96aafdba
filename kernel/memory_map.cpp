// The mapping side (memory_map.h).
#include "memory_map.h"

namespace ck {

void MemoryMap::reset() {
  physmap_.init(records_, links_, kMappingCapacity, buckets_, physmap_buckets(kMappingCapacity));
  rtlb_.clear();
  signal_records_ = 0;
  for (SpaceCounts& s : spaces_) s = SpaceCounts{};
  for (u32& n : thread_signal_mappings_) n = 0;
  for (u32& h : signal_head_) h = kNone;
}

Mapping MemoryMap::mapping(u32 record) const {
  const DependencyRecord& r = physmap_.record(record);
  CK_ASSERT(r.context < kSpaceCapacity);
  return Mapping{.space = r.context,
                 .va = VirtAddr(r.dependent & ~mapping_flag::kMask),
                 .pa = PhysAddr(r.key & ~kClassMask),
                 .flags = r.dependent & mapping_flag::kMask};
}

u32 MemoryMap::signal_record_of(u32 mapping_record) const {
  u32 found = kNone;
  physmap_.for_each(signal_key(mapping_record), [&](u32 i, const DependencyRecord& r) {
    if (is_signal_context(r.context)) found = i;
  });
  CK_ASSERT(found != kNone);
  return found;
}

void MemoryMap::unlink_signal(u32 thread, u32 index) {
  const u32 next = next_signal(physmap_.record(index));
  if (signal_head_[thread] == index) {
    signal_head_[thread] = next;
    return;
  }
  for (u32 i = signal_head_[thread]; i != kNone; i = next_signal(physmap_.record(i))) {
    if (next_signal(physmap_.record(i)) == index) {
      physmap_.set_context(i, signal_context(next));
      return;
    }
  }
  CK_ASSERT(false);  // a signal record is on its thread's list
}

u32 MemoryMap::signal_thread(u32 record) const { return physmap_.record(signal_record_of(record)).dependent; }

ck_status MemoryMap::check_sharing(PhysAddr pa, u32 flags, bool receives, PhysMap::Place* place) const {
  // Every class of the page counted in one walk, which also finds where the record of
  // the new mapping's class goes.
  u32 counts[PhysMap::kFamilyBits + 1];
  const PageClass mine = class_of(flags | (receives ? mapping_flag::kSignal : 0));
  physmap_.count_family(pa.value(), counts, static_cast<u32>(mine), place);
  const u32 plain = counts[static_cast<u32>(PageClass::Plain)];
  const u32 writables = counts[static_cast<u32>(PageClass::Writable)];
  const u32 receivers = counts[static_cast<u32>(PageClass::Receiver)];
  if (plain + writables + receivers >= CK_PAGE_MAPPINGS_MAX) return CK_E_SHARED;
  // A message page's receivers and writable mappings: dropping a receiver flushes every
  // writable one (§4.2), a signal visits every receiver.
  if (receivers == 0 && !receives) return CK_OK;
  const bool writable = !receives && (flags & mapping_flag::kWritable) != 0;
  const u32 message = receivers + (receives ? 1 : 0) + writables + (writable ? 1 : 0);
  return message > CK_MESSAGE_PAGE_MAPPINGS_MAX ? CK_E_SHARED : CK_OK;
}

ck_status MemoryMap::map(const arch::PageSlot& slot, u32 space, VirtAddr va, PhysAddr pa, u32 flags, bool cached,
                         bool written, u32 victim) {
  tagged_ = victim != kNone ? victim : physmap_.next_free();
  const arch::MapStatus m = arch::map_page_at(slot, tables_.root_of(space), va, pa,
                                              (flags & mapping_flag::kWritable) != 0, cached, tagged_, written);
  CK_ASSERT(m == arch::MapStatus::Ok || m == arch::MapStatus::OutOfTables);
  return m == arch::MapStatus::Ok ? CK_OK : CK_E_NO_TABLES;
}

void MemoryMap::unmap(u32 space, VirtAddr va) {
  arch::PageState state;
  const arch::MapStatus s = arch::unmap_page(tables_.root_of(space), va, &state);
  CK_ASSERT(s == arch::MapStatus::Ok);
  static_cast<void>(s);
}

u32 MemoryMap::record(u32 space, VirtAddr va, PhysAddr pa, u32 flags, u32 signal_thread, const PhysMap::Place* place) {
  const bool signals = signal_thread != kNoSlot;
  CK_ASSERT(free_records() >= (signals ? 2u : 1u));
  const u32 dependent = va.value() | flags | (signals ? mapping_flag::kSignal : 0);
  const u32 key = page_key(pa, class_of(dependent));
  const u32 record =
      place != nullptr ? physmap_.insert_at(*place, key, dependent, space) : physmap_.insert(key, dependent, space);
  // Beside its translation, so that find() takes one table walk: there already unless
  // victims' records came free since map().
  if (record != tagged_) {
    const bool tagged = arch::set_page_tag(tables_.root_of(space), va, record);
    CK_ASSERT(tagged);  // map() entered the translation
    static_cast<void>(tagged);
  }
  // The first mapping of an empty space is its lowest; any other lowers the bound only.
  if (spaces_[space].mappings == 0 || va.value() < spaces_[space].low) spaces_[space].low = va.value();
  spaces_[space].mappings += 1;
  if (signals) {
    signal_head_[signal_thread] =
        physmap_.insert(signal_key(record), signal_thread, signal_context(signal_head_[signal_thread]));
    signal_records_ += 1;
    if (thread_signal_mappings_[signal_thread]++ == 0)
      spaces_[tables_.thread(signal_thread).home_space()].signal_threads += 1;
    spaces_[space].signal_mappings += 1;
    // The page has another receiver now: its cached single receiver is no longer all.
    rtlb_.invalidate(pa.value());
  }
  return record;
}

bool MemoryMap::take_used(const Mapping& m) { return arch::clear_page_used(tables_.root_of(m.space), m.va); }

u32 MemoryMap::next_in_space(u32 space, VirtAddr from) const {
  const SpaceCounts& s = spaces_[space];
  if (s.mappings == 0) return kNone;
  const bool from_low = from.value() <= s.low;
  VirtAddr va;
  if (!arch::next_mapping(tables_.root_of(space), from_low ? VirtAddr(s.low) : from, &va)) return kNone;
  // Walked from the bound: nothing lies between it and the mapping found.
  if (from_low) s.low = va.value();
  return find(space, va);
}

}  // namespace ck
