// The name arena (name_store.h).
#include "name_store.h"

namespace unixemu {

void NameStore::mark(uint32_t first, uint32_t n, bool on) {
  for (uint32_t g = first; g < first + n; ++g) {
    if (on)
      map_[g / 32] |= 1u << (g % 32);
    else
      map_[g / 32] &= ~(1u << (g % 32));
  }
}

char* NameStore::copy(const char* text, uint32_t bytes) {
  char* out = allocate(bytes);
  if (out != nullptr)
    for (uint32_t i = 0; i < bytes; ++i) out[i] = text[i];
  return out;
}

void NameStore::clear() {
  for (uint32_t& word : map_) word = 0;
  used_ = 0;
  hint_ = 0;
}

char* NameStore::allocate(uint32_t bytes) {
  const uint32_t need = granules_for(bytes);
  if (need > kGranules - used_) return nullptr;
  // First fit from the hint, wrapping once.
  uint32_t run = 0;
  for (uint32_t step = 0; step < kGranules + need; ++step) {
    const uint32_t g = (hint_ + step) % kGranules;
    if (g == 0) run = 0;  // a run does not wrap around the arena's end
    run = taken(g) ? 0 : run + 1;
    if (run < need) continue;
    const uint32_t first = g + 1 - need;
    mark(first, need, true);
    used_ += need;
    hint_ = (g + 1) % kGranules;
    return arena_ + first * kGranule;
  }
  return nullptr;
}

void NameStore::release(const char* copy, uint32_t bytes) {
  if (copy == nullptr || !owns(copy)) return;
  const uint32_t first = static_cast<uint32_t>(copy - arena_) / kGranule;
  const uint32_t n = granules_for(bytes);
  mark(first, n, false);
  used_ -= n;
}

}  // namespace unixemu
