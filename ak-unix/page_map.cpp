// A process's page map (page_map.h).
#include "page_map.h"

#include "physical_memory.h"

namespace unixemu {

uint32_t* PageMap::table(uint32_t va) const {
  const uint32_t frame = directory_[va >> 22];
  // Frames are page-aligned, so the table is aligned for its entries.
  return frame == 0 ? nullptr : static_cast<uint32_t*>(static_cast<void*>(memory().at(frame)));
}

uint32_t PageMap::lookup(uint32_t va) const {
  const uint32_t* t = table(va);
  return t == nullptr ? 0 : t[(va >> 12) & (kEntries - 1)];
}

bool PageMap::set(uint32_t va, uint32_t frame) {
  if (directory_[va >> 22] == 0) {
    uint32_t table_frame;
    if (!memory().allocate(&table_frame)) return false;
    directory_[va >> 22] = table_frame;
  }
  uint32_t& entry = table(va)[(va >> 12) & (kEntries - 1)];
  if (entry == 0) resident_ += 1;
  entry = frame;
  return true;
}

uint32_t PageMap::clear(uint32_t va) {
  uint32_t* t = table(va);
  if (t == nullptr) return 0;
  uint32_t& entry = t[(va >> 12) & (kEntries - 1)];
  const uint32_t frame = entry;
  if (frame != 0) resident_ -= 1;
  entry = 0;
  return frame;
}

void PageMap::release() {
  for (uint32_t& d : directory_)
    if (d != 0) {
      memory().free(d);
      d = 0;
    }
  resident_ = 0;
}

}  // namespace unixemu
