// Reading the root file system's image (paper §2: the emulator serves its processes'
// files; §4.1: the PROM is physical memory the emulator maps like any other). The image
// is a cpio archive tens of megabytes long in the PROM; mapping all of it locked would
// pin one Cache Kernel mapping descriptor per page of it, so the emulator reads it
// through a few windows (prom_window.h) instead, and the parts that read it (the cpio
// reader, the file tree, the program-page cache) see it only as this interface. Host
// tests read an image in memory (MemoryImage). Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

class ImageReader {
 public:
  static constexpr uint32_t kPageBytes = 4096;
  // A view stays valid while fewer than this many other views have been taken after it.
  static constexpr uint32_t kViewsKept = 8;

  // The image's bytes at `offset`: a pointer and, in *n, how many may be read from it
  // (at least one, at most to the end of the page of memory they lie in and the image's
  // end). nullptr (and *n 0) when `offset` is at or past the end or the bytes cannot be
  // reached.
  virtual const uint8_t* view(uint32_t offset, uint32_t* n) = 0;
  // How long the image is.
  virtual uint32_t bytes() const = 0;
  // Copies image bytes [offset, offset + n) to `to`: false, with nothing promised about
  // `to`, when they do not all lie in the image or cannot be reached.
  bool copy(uint32_t offset, void* to, uint32_t n);

 protected:
  ~ImageReader() = default;
};

// An image in memory: the host tests', and a reader of any byte array.
class MemoryImage final : public ImageReader {
 public:
  MemoryImage(const uint8_t* bytes, uint32_t size) : bytes_(bytes), size_(size) {}
  const uint8_t* view(uint32_t offset, uint32_t* n) override;
  uint32_t bytes() const override { return size_; }

 private:
  const uint8_t* bytes_;
  uint32_t size_;
};

// Bytes [start, start + size) of another image, as an image of their own (the root
// file system's archive inside the PROM table).
class ImageSlice final : public ImageReader {
 public:
  ImageSlice(ImageReader& whole, uint32_t start, uint32_t size) : whole_(&whole), start_(start), size_(size) {}
  const uint8_t* view(uint32_t offset, uint32_t* n) override;
  uint32_t bytes() const override { return size_; }

 private:
  ImageReader* whole_;
  uint32_t start_, size_;
};

}  // namespace unixemu
