// Program pages shared read-only (image_pages.h).
#include "image_pages.h"

#include <string.h>

#include "emulator.h"
#include "file_tree.h"
#include "linux_abi.h"
#include "physical_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

// Direct-mapped by the image page the bytes start in: a program's consecutive pages
// take consecutive slots, and a page that collides replaces the older one (its frame
// stays with the processes that map it).
constexpr uint32_t kSlots = 128;
constexpr uint32_t kEmpty = 0xffffffffu;  // no image offset is this (images are < 4 GiB)

struct Slot {
  uint32_t at = kEmpty;  // the image offset of its bytes
  uint32_t n = 0;
  uint32_t frame = 0;
  bool synced = false;  // pushed to memory for instruction fetches
};

Slot g_slots[kSlots];

uint32_t slot_of(uint32_t at) { return (at >> 12) % kSlots; }

void drop(Slot& s) {
  memory().free(s.frame);
  s = Slot{};
}

}  // namespace

int32_t image_page(uint32_t at, uint32_t n, bool code, uint32_t* frame) {
  Slot* s = &g_slots[slot_of(at)];
  if (s->at != at || s->n != n) {
    uint32_t fresh;
    // (Running out frees what only the cache holds, this slot's frame perhaps.)
    if (!memory().allocate_to_fill(&fresh)) return -abi::kENOMEM;
    uint8_t* to = memory().at(fresh);
    if (!file_tree().image()->copy(at, to, n)) {
      memory().free(fresh);
      return -abi::kEIO;
    }
    if (n < ak::kPageBytes) memset(to + n, 0, ak::kPageBytes - n);
    s = &g_slots[slot_of(at)];
    if (s->at != kEmpty) drop(*s);
    *s = Slot{.at = at, .n = n, .frame = fresh, .synced = false};
  }
  // Code pages went in through the data cache: instruction fetches must see them.
  if (code && !s->synced) {
    memory().sync_code(s->frame);
    s->synced = true;
  }
  memory().share(s->frame);
  *frame = s->frame;
  return 0;
}

bool release_image_pages() {
  bool released = false;
  for (Slot& s : g_slots) {
    if (s.at == kEmpty || memory().refs(s.frame) != 1) continue;
    drop(s);
    released = true;
  }
  return released;
}

}  // namespace unixemu
