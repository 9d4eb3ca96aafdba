// An image for the UNIX emulator's host tests (ak-unix/image_reader.h) that behaves as
// the PROM windows may: views as short as `chunk` bytes (ending at multiples of it), and
// bytes that cannot be reached while `reachable` is false.
#pragma once

#include <cstdint>

#include "image_reader.h"

namespace unixemu {

class TestImage final : public ImageReader {
 public:
  TestImage(const uint8_t* bytes, uint32_t size, uint32_t chunk = kPageBytes)
      : bytes_(bytes), size_(size), chunk_(chunk) {}
  const uint8_t* view(uint32_t offset, uint32_t* n) override {
    *n = 0;
    if (offset >= size_ || !reachable) return nullptr;
    views += 1;
    const uint32_t to_chunk_end = chunk_ - offset % chunk_;
    *n = size_ - offset < to_chunk_end ? size_ - offset : to_chunk_end;
    return bytes_ + offset;
  }
  uint32_t bytes() const override { return size_; }

  bool reachable = true;
  uint32_t views = 0;

 private:
  const uint8_t* bytes_;
  uint32_t size_, chunk_;
};

}  // namespace unixemu
