// Program pages shared read-only (image_pages.h).
#include "image_pages.h"

#include <string.h>

#include "physical_memory.h"

namespace unixemu {

namespace {

// Direct-mapped by the image page the bytes start in: a program's consecutive pages
// take consecutive slots, and a page that collides replaces the older one (its frame
// stays with the processes that map it).
constexpr uint32_t kSlots = 128;

struct Slot {
  const uint8_t* bytes = nullptr;  // nullptr: empty
  uint32_t n = 0;
  uint32_t frame = 0;
  bool synced = false;  // pushed to memory for instruction fetches
};

Slot g_slots[kSlots];

uint32_t slot_of(const uint8_t* bytes) { return (reinterpret_cast<uintptr_t>(bytes) >> 12) % kSlots; }

void drop(Slot& s) {
  memory().free(s.frame);
  s = Slot{};
}

}  // namespace

bool image_page(const uint8_t* bytes, uint32_t n, bool code, uint32_t* frame) {
  Slot* s = &g_slots[slot_of(bytes)];
  if (s->bytes != bytes || s->n != n) {
    uint32_t fresh;
    // (Running out frees what only the cache holds, this slot's frame perhaps.)
    if (!memory().allocate_to_fill(&fresh)) return false;
    uint8_t* to = memory().at(fresh);
    memcpy(to, bytes, n);
    if (n < ak::kPageBytes) memset(to + n, 0, ak::kPageBytes - n);
    s = &g_slots[slot_of(bytes)];
    if (s->bytes != nullptr) drop(*s);
    *s = Slot{.bytes = bytes, .n = n, .frame = fresh, .synced = false};
  }
  // Code pages went in through the data cache: instruction fetches must see them.
  if (code && !s->synced) {
    memory().sync_code(s->frame);
    s->synced = true;
  }
  memory().share(s->frame);
  *frame = s->frame;
  return true;
}

bool release_image_pages() {
  bool released = false;
  for (Slot& s : g_slots) {
    if (s.bytes == nullptr || memory().refs(s.frame) != 1) continue;
    drop(s);
    released = true;
  }
  return released;
}

}  // namespace unixemu
