// Storage for the names and symbolic-link targets the file tree's processes create
// (issue 18 item 5), and the image's (copied when the tree is built: the image is read
// through windows, path resolution must not). A
// fixed arena (no allocation after boot) handed out in 16-byte granules, first fit over
// a bitmap; full, it refuses (the call fails with ENOSPC). Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

class NameStore {
 public:
  static constexpr uint32_t kGranule = 16;
  static constexpr uint32_t kBytes = 128 * 1024;
  static constexpr uint32_t kGranules = kBytes / kGranule;

  // A copy of text[0..bytes) (not NUL-terminated), or nullptr when there is no room.
  // Zero bytes take one granule (every copy has an address of its own).
  char* copy(const char* text, uint32_t bytes);
  // Room for `bytes` (contents unspecified), given back with release(); nullptr when
  // there is none.
  char* allocate(uint32_t bytes);
  // Gives back everything.
  void clear();
  // Gives back a copy made by copy() of that many bytes.
  void release(const char* copy, uint32_t bytes);
  uint32_t free_bytes() const { return (kGranules - used_) * kGranule; }
  bool owns(const char* p) const { return p >= arena_ && p < arena_ + kBytes; }

 private:
  static uint32_t granules_for(uint32_t bytes) { return bytes == 0 ? 1 : (bytes + kGranule - 1) / kGranule; }
  bool taken(uint32_t g) const { return (map_[g / 32] >> (g % 32) & 1) != 0; }
  void mark(uint32_t first, uint32_t n, bool on);

  alignas(4) char arena_[kBytes];
  uint32_t map_[kGranules / 32] = {};
  uint32_t used_ = 0;
  uint32_t hint_ = 0;  // where the last search ended: the next starts there
};

}  // namespace unixemu
