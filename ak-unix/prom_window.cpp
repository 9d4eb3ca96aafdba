// The emulator's windows on the PROM table (prom_window.h).
#include "prom_window.h"

#include "emulator.h"
#include "libak.h"
#include "physical_memory.h"

namespace unixemu {

static_assert(Memory::kWindowLimit == PromWindow::kBase, "the windows follow the memory window");

PromWindow& prom_window() {
  static PromWindow window;
  return window;
}

void PromWindow::init(ck_id space, uint32_t physical, uint32_t bytes, bool paged) {
  space_ = space;
  physical_ = physical;
  bytes_ = bytes;
  paged_ = paged;
}

const uint8_t* PromWindow::view(uint32_t offset, uint32_t* n) {
  *n = 0;
  if (offset >= bytes_) return nullptr;
  // To the end of its page or of the table, whichever comes first.
  const uint32_t in_page = offset % kPageBytes;
  const uint32_t readable = kPageBytes - in_page < bytes_ - offset ? kPageBytes - in_page : bytes_ - offset;
  if (paged_) {
    *n = readable;
    return reinterpret_cast<const uint8_t*>(kBase + offset);
  }
  const uint32_t slot = slot_for(offset / kPageBytes);
  if (slot == kSlots) return nullptr;
  slots_[slot].used = ++clock_;
  *n = readable;
  return reinterpret_cast<const uint8_t*>(kBase + slot * kPageBytes + in_page);
}

uint32_t PromWindow::slot_for(uint32_t page) {
  if (slots_[last_].page == page) return last_;
  uint32_t victim = 0;
  for (uint32_t i = 0; i < kSlots; ++i) {
    if (slots_[i].page == page) return last_ = i;
    if (slots_[i].used < slots_[victim].used) victim = i;
  }
  Slot& s = slots_[victim];
  const uint32_t va = kBase + victim * kPageBytes;
  if (s.page != kNoPage) {
    unload_mapping_surely(space_, va);
    s = Slot{};
    moves_ += 1;
  }
  const int32_t status = load_locked_mapping(space_, va, physical_ + page * kPageBytes, 0);
  if (status != CK_OK) {
    ak::print("unix: cannot map page {} of the PROM table: status {}\n", page, status);
    return kSlots;
  }
  s.page = page;
  return last_ = victim;
}

}  // namespace unixemu
