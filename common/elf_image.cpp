// ELF images of application kernels (elf_image.h).
#include "elf_image.h"

#include "lib/endian.h"

namespace ck {

namespace {
constexpr u32 kPage = 4096;
constexpr u32 kUserTop = 0xf0000000;
constexpr u16 kEm68k = 4;
constexpr u16 kExecutable = 2;
constexpr u32 kLoad = 1;
constexpr u32 kFlagWrite = 2;
}  // namespace

bool ElfImage::parse(const u8* b, u32 size) {
  count_ = 0;
  if (size < 52 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') return false;
  if (b[4] != 1 || b[5] != 2) return false;  // ELFCLASS32, big-endian
  if (load_be16(b + 16) != kExecutable || load_be16(b + 18) != kEm68k) return false;
  const u32 phoff = load_be32(b + 28);
  const u32 phentsize = load_be16(b + 42), phnum = load_be16(b + 44);
  if (phentsize < 32 || phoff > size || phnum > (size - phoff) / phentsize) return false;
  for (u32 i = 0; i < phnum; ++i) {
    const u8* ph = b + phoff + i * phentsize;
    if (load_be32(ph) != kLoad) continue;
    ElfSegment s{.vaddr = load_be32(ph + 8),
                 .offset = load_be32(ph + 4),
                 .file_bytes = load_be32(ph + 16),
                 .memory_bytes = load_be32(ph + 20),
                 .writable = (load_be32(ph + 24) & kFlagWrite) != 0};
    if (count_ == kMaxSegments || s.vaddr % kPage != 0 || s.file_bytes > s.memory_bytes) return false;
    if (s.offset > size || s.file_bytes > size - s.offset) return false;
    if (s.vaddr >= kUserTop || s.memory_bytes > kUserTop - s.vaddr) return false;
    segments_[count_++] = s;
  }
  bytes_ = b;
  size_ = size;
  entry_ = load_be32(b + 24);
  return count_ != 0;
}

bool ElfImage::ak_header(AkHeader* out) const {
  const ElfSegment* first = nullptr;
  for (u32 i = 0; i < count_; ++i)
    if (first == nullptr || segments_[i].vaddr < first->vaddr) first = &segments_[i];
  if (first == nullptr || first->file_bytes < sizeof(AkHeader)) return false;
  const u8* h = bytes_ + first->offset;
  *out = AkHeader{load_be32(h), load_be32(h + 4), load_be32(h + 8), load_be32(h + 12)};
  return out->magic == kAkMagic;
}

u32 ElfImage::start() const {
  u32 start = 0xffffffff;
  for (u32 i = 0; i < count_; ++i)
    if (segments_[i].vaddr < start) start = segments_[i].vaddr;
  return count_ == 0 ? 0 : start;
}

u32 ElfImage::end() const {
  u32 end = 0;
  for (u32 i = 0; i < count_; ++i) {
    const ElfSegment& s = segments_[i];
    const u32 top = (s.vaddr + s.memory_bytes + kPage - 1) & ~(kPage - 1);
    if (top > end) end = top;
  }
  return end;
}

}  // namespace ck
