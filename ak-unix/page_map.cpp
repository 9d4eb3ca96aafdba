// A process's page map (page_map.h).
#include "page_map.h"

#include "page_ops.h"
#include "physical_memory.h"

namespace unixemu {

uint32_t* PageMap::directory() const {
  // Frames are page-aligned, so the tables are aligned for their entries.
  return directory_frame_ == 0 ? nullptr : static_cast<uint32_t*>(static_cast<void*>(memory().at(directory_frame_)));
}

uint32_t* PageMap::table(uint32_t va) const {
  const uint32_t* d = directory();
  const uint32_t frame = d == nullptr ? 0 : d[va >> 22] & kFrameBits;
  return frame == 0 ? nullptr : static_cast<uint32_t*>(static_cast<void*>(memory().at(frame)));
}

namespace {

uint32_t g_next_tag = 0;  // the tag a fork's copy gets next (less one)

}  // namespace

uint32_t* PageMap::entry_of(uint32_t va) const {
  va &= kFrameBits;
  if (last_entry_ != 0 && last_va_ == va) return entry_at(last_entry_);
  const uint32_t* d = directory();
  const uint32_t frame = d == nullptr ? 0 : d[va >> 22] & kFrameBits;
  if (frame == 0) return nullptr;
  last_va_ = va;
  last_entry_ = frame + ((va >> 12) & (kEntries - 1)) * sizeof(uint32_t);
  return entry_at(last_entry_);
}

uint32_t PageMap::lookup_walking(uint32_t va) const {
  const uint32_t* e = entry_of(va);
  return e == nullptr ? 0 : *e & kFrameBits;
}

uint32_t PageMap::loaded(uint32_t va) const {
  const uint32_t* e = entry_of(va);
  return e == nullptr || *e == 0 ? 0 : loaded_of(*e);
}

void PageMap::mark_loaded(uint32_t va, bool writable) {
  uint32_t* e = entry_of(va);
  if (e == nullptr || *e == 0) return;
  // Writable stays claimed until an unload: a read-only load after a writable one that
  // was not unloaded (never expected) must not hide it.
  const bool was_writable = loaded_of(*e) == (kLoaded | kLoadedWritable);
  *e = (*e & kFrameBits) | tag() | (writable || was_writable ? kWritableMark : 0);
}

void PageMap::mark_unloaded(uint32_t va) {
  if (uint32_t* e = entry_of(va); e != nullptr) *e &= kFrameBits;
}

bool PageMap::set(uint32_t va, uint32_t frame) {
  if (directory_frame_ == 0 && !memory().allocate(&directory_frame_)) return false;
  uint32_t& entry_of_table = directory()[va >> 22];
  if (entry_of_table == 0) {
    uint32_t table_frame;
    if (!memory().allocate(&table_frame)) return false;
    entry_of_table = table_frame;
    has_table_[(va >> 22) / 32] |= 1u << ((va >> 22) % 32);
  }
  if (frame != 0) entry_of_table |= 1u << (((va >> 12) & (kEntries - 1)) / kChunkEntries);
  uint32_t& entry = *entry_of(va);
  if (entry == 0) resident_ += 1;
  entry = frame == 0 ? 0 : frame | (entry & ~kFrameBits);
  return true;
}

uint32_t PageMap::clear(uint32_t va) {
  uint32_t* e = entry_of(va);
  if (e == nullptr) return 0;
  uint32_t& entry = *e;
  const uint32_t frame = entry & kFrameBits;
  if (entry != 0) resident_ -= 1;
  entry = 0;
  return frame;
}

bool PageMap::clone_from(const PageMap& other) {
  const uint32_t* from = other.directory();
  if (from == nullptr) return true;
  if (!memory().allocate_to_fill(&directory_frame_)) return false;
  uint32_t* to = directory();
  ak::copy_page(to, from);
  // Each table of `other` gets a frame here; the directory's entries keep their low bits
  // (which eighths held pages).
  for (uint32_t word = 0; word < kEntries / 32; ++word) {
    for (uint32_t bits = other.has_table_[word]; bits != 0; bits &= bits - 1) {
      const uint32_t d = word * 32 + static_cast<uint32_t>(__builtin_ctz(bits));
      uint32_t table_frame;
      if (!memory().allocate_to_fill(&table_frame)) {
        // What was taken goes back: entries not copied yet still name other's tables.
        for (uint32_t w = 0; w <= word; ++w) {
          for (uint32_t done = has_table_[w]; done != 0; done &= done - 1)
            memory().free(to[w * 32 + static_cast<uint32_t>(__builtin_ctz(done))] & kFrameBits);
          has_table_[w] = 0;
        }
        memory().free(directory_frame_);
        directory_frame_ = 0;
        return false;
      }
      ak::copy_page(memory().at(table_frame), memory().at(from[d] & kFrameBits));
      to[d] = table_frame | (from[d] & ~kFrameBits);
      has_table_[word] |= 1u << (d % 32);
    }
  }
  resident_ = other.resident_;
  // Nothing is loaded for the copy (a new space): a tag of its own, not other's, makes
  // every mark it copied mean nothing here.
  g_next_tag = (g_next_tag + 1) % kTags;
  if (g_next_tag == other.tag_) g_next_tag = (g_next_tag + 1) % kTags;
  tag_ = g_next_tag;
  return true;
}

void PageMap::release() {
  last_entry_ = 0;
  if (directory_frame_ != 0) {
    uint32_t* d = directory();
    for (uint32_t word = 0; word < kEntries / 32; ++word) {
      for (uint32_t bits = has_table_[word]; bits != 0; bits &= bits - 1)
        memory().free(d[word * 32 + static_cast<uint32_t>(__builtin_ctz(bits))] & kFrameBits);
      has_table_[word] = 0;
    }
    memory().free(directory_frame_);
    directory_frame_ = 0;
  }
  resident_ = 0;
}

}  // namespace unixemu
