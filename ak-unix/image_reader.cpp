// Reading the root file system's image (image_reader.h).
#include "image_reader.h"

#include <string.h>

namespace unixemu {

bool ImageReader::copy(uint32_t offset, void* to, uint32_t n) {
  if (offset > bytes() || n > bytes() - offset) return false;
  auto* out = static_cast<uint8_t*>(to);
  while (n != 0) {
    uint32_t got = 0;
    const uint8_t* from = view(offset, &got);
    if (from == nullptr || got == 0) return false;
    if (got > n) got = n;
    memcpy(out, from, got);
    out += got;
    offset += got;
    n -= got;
  }
  return true;
}

const uint8_t* MemoryImage::view(uint32_t offset, uint32_t* n) {
  if (offset >= size_) {
    *n = 0;
    return nullptr;
  }
  const uint32_t to_page_end = kPageBytes - offset % kPageBytes;
  *n = size_ - offset < to_page_end ? size_ - offset : to_page_end;
  return bytes_ + offset;
}

const uint8_t* ImageSlice::view(uint32_t offset, uint32_t* n) {
  *n = 0;
  if (offset >= size_) return nullptr;
  const uint8_t* at = whole_->view(start_ + offset, n);
  if (at != nullptr && *n > size_ - offset) *n = size_ - offset;
  return at;
}

}  // namespace unixemu
