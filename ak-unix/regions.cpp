// A process's regions (regions.h).
#include "regions.h"

namespace unixemu {

const Region* Regions::search(uint32_t va) const {
  for (uint32_t i = 0; i < count_; ++i)
    if (regions_[i].contains(va)) {
      last_found_ = i;
      return &regions_[i];
    }
  return nullptr;
}

bool Regions::free(uint32_t start, uint32_t end) const {
  for (uint32_t i = 0; i < count_; ++i)
    if (regions_[i].start < end && start < regions_[i].end) return false;
  return true;
}

bool Regions::covered(uint32_t start, uint32_t end) const {
  uint32_t at = start;
  for (uint32_t i = 0; i < count_ && at < end; ++i)
    if (regions_[i].contains(at)) at = regions_[i].end;
  return at >= end;
}

bool Regions::insert(const Region& r) {
  if (count_ == kMaxRegions || r.start >= r.end || !free(r.start, r.end)) return false;
  uint32_t i = count_;
  while (i > 0 && regions_[i - 1].start > r.start) {
    regions_[i] = regions_[i - 1];
    --i;
  }
  regions_[i] = r;
  ++count_;
  return true;
}

void Regions::erase(uint32_t i) {
  for (; i + 1 < count_; ++i) regions_[i] = regions_[i + 1];
  --count_;
}

// The region's part from `at` on (a file region's bytes move with it).
Region tail_of(const Region& r, uint32_t at) {
  Region tail = r;
  tail.start = at;
  if (r.file_node != Region::kNoFile) {
    const uint32_t cut = at - r.start;
    tail.file_offset = r.file_offset + cut;
    tail.file_bytes = r.file_bytes > cut ? r.file_bytes - cut : 0;
    tail.file_end_page = r.file_end_page > cut ? r.file_end_page - cut : 0;
  }
  return tail;
}

bool Regions::split(uint32_t at) {
  for (uint32_t i = 0; i < count_; ++i) {
    Region& r = regions_[i];
    if (at <= r.start || at >= r.end) continue;
    if (count_ == kMaxRegions) return false;
    const Region tail = tail_of(r, at);
    r.end = at;
    for (uint32_t j = count_; j > i + 1; --j) regions_[j] = regions_[j - 1];
    regions_[i + 1] = tail;
    ++count_;
    return true;
  }
  return true;  // no region holds it: nothing to split
}

bool Regions::remove(uint32_t start, uint32_t end) {
  // A region holding the whole range strictly inside becomes two: the one case that
  // needs a slot.
  for (uint32_t i = 0; i < count_; ++i) {
    if (regions_[i].start < start && end < regions_[i].end) {
      if (count_ == kMaxRegions) return false;
      split(end);  // then the head part loses its tail below
      break;
    }
  }
  for (uint32_t i = 0; i < count_;) {
    Region& r = regions_[i];
    if (r.end <= start || r.start >= end) {
      ++i;
    } else if (r.start >= start && r.end <= end) {
      erase(i);
    } else if (r.start < start) {
      r.end = start;  // its tail goes
      ++i;
    } else {
      r = tail_of(r, end);  // its head goes
      ++i;
    }
  }
  return true;
}

bool Regions::protect(uint32_t start, uint32_t end, uint32_t prot) {
  if (!covered(start, end)) return false;
  uint32_t needed = 0;
  for (uint32_t i = 0; i < count_; ++i) {
    const Region& r = regions_[i];
    needed += (start > r.start && start < r.end ? 1 : 0) + (end > r.start && end < r.end ? 1 : 0);
  }
  if (count_ + needed > kMaxRegions) return false;
  split(start);
  split(end);
  for (uint32_t i = 0; i < count_; ++i)
    if (regions_[i].start >= start && regions_[i].end <= end) regions_[i].prot = prot;
  return true;
}

uint32_t Regions::find_free(uint32_t bytes, uint32_t from, uint32_t limit) const {
  uint32_t at = from;
  for (uint32_t i = 0; i < count_; ++i) {
    const Region& r = regions_[i];
    if (r.end <= at) continue;
    if (r.start >= at && r.start - at >= bytes) break;
    at = r.end > at ? r.end : at;
  }
  return at <= limit && limit - at >= bytes ? at : 0;
}

bool Regions::move(uint32_t from, uint32_t to) {
  for (uint32_t i = 0; i < count_; ++i) {
    if (regions_[i].start != from) continue;
    Region r = regions_[i];
    const uint32_t to_end = to + (r.end - r.start);
    if (to_end <= to) return false;
    for (uint32_t j = 0; j < count_; ++j)
      if (j != i && regions_[j].start < to_end && to < regions_[j].end) return false;
    erase(i);
    r.end = to + (r.end - r.start);
    r.start = to;
    return insert(r);
  }
  return false;
}

bool Regions::resize(uint32_t start, uint32_t end) {
  for (uint32_t i = 0; i < count_; ++i) {
    if (regions_[i].start != start) continue;
    if (end <= start) return false;
    const bool fits = i + 1 == count_ || end <= regions_[i + 1].start;
    if (!fits) return false;
    regions_[i].end = end;
    return true;
  }
  return false;
}

}  // namespace unixemu
