// Parsing a Linux/m68k program file (program.h). ELF layouts from the ELF gABI.
#include "program.h"

#include "lib/endian.h"
#include "linux_abi.h"

namespace unixemu {

namespace {

constexpr uint32_t kPage = 4096;
constexpr uint32_t kEhdrBytes = 52, kPhdrBytes = 32;
constexpr uint16_t kEtExec = 2, kEm68k = 4;
constexpr uint32_t kPtLoad = 1, kPtInterp = 3, kPtPhdr = 6;
constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;

uint32_t be32(const uint8_t* p) { return ck::load_be32(p); }
uint16_t be16(const uint8_t* p) { return ck::load_be16(p); }

}  // namespace

int32_t Program::refuse(const char* why) {
  why_ = why;
  count_ = 0;
  return -linux_abi::kENOEXEC;
}

int32_t Program::parse(const uint8_t* b, uint32_t head_bytes, uint32_t size) {
  count_ = 0;
  if (head_bytes > size) head_bytes = size;
  if (head_bytes < kEhdrBytes || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
    return refuse("not an ELF file");
  if (b[4] != 1 || b[5] != 2) return refuse("not a 32-bit big-endian ELF file");
  if (be16(b + 18) != kEm68k) return refuse("not an m68k program");
  if (be16(b + 16) != kEtExec) return refuse("not a static executable (ET_EXEC)");
  entry_ = be32(b + 24);
  const uint32_t phoff = be32(b + 28);
  const uint32_t phentsize = be16(b + 42);
  phnum_ = be16(b + 44);
  if (phentsize != kPhdrBytes || phnum_ == 0 || phnum_ > 32 || phoff > head_bytes ||
      phnum_ * kPhdrBytes > head_bytes - phoff)
    return refuse("program headers outside the file");
  phdr_ = 0;
  end_ = 0;
  for (uint32_t i = 0; i < phnum_; ++i) {
    const uint8_t* ph = b + phoff + i * kPhdrBytes;
    const uint32_t type = be32(ph);
    if (type == kPtInterp) return refuse("dynamically linked (it has a program interpreter)");
    if (type == kPtPhdr) phdr_ = be32(ph + 8);
    if (type != kPtLoad) continue;
    ProgramSegment s{.vaddr = be32(ph + 8),
                     .offset = be32(ph + 4),
                     .file_bytes = be32(ph + 16),
                     .memory_bytes = be32(ph + 20),
                     .prot = 0};
    const uint32_t flags = be32(ph + 24);
    s.prot = ((flags & kPfR) != 0 ? linux_abi::kPROT_READ : 0) | ((flags & kPfW) != 0 ? linux_abi::kPROT_WRITE : 0) |
             ((flags & kPfX) != 0 ? linux_abi::kPROT_EXEC : 0);
    if (s.memory_bytes == 0) continue;
    if (count_ == kMaxSegments) return refuse("too many loadable segments");
    if (s.offset > size || s.file_bytes > size - s.offset) return refuse("a segment lies outside the file");
    if (s.file_bytes > s.memory_bytes) return refuse("a segment's file part is larger than its memory");
    if (s.vaddr % kPage != s.offset % kPage) return refuse("a segment's address and offset disagree modulo 4 KiB");
    if (s.vaddr < kPage || s.vaddr >= linux_abi::kStackTop || s.memory_bytes > linux_abi::kStackTop - s.vaddr)
      return refuse("a segment lies outside user memory");
    const uint32_t first = s.vaddr & ~(kPage - 1);
    const uint32_t last = (s.vaddr + s.memory_bytes + kPage - 1) & ~(kPage - 1);
    for (uint32_t j = 0; j < count_; ++j) {
      const ProgramSegment& o = segments_[j];
      const uint32_t o_first = o.vaddr & ~(kPage - 1);
      const uint32_t o_last = (o.vaddr + o.memory_bytes + kPage - 1) & ~(kPage - 1);
      if (first < o_last && o_first < last) return refuse("loadable segments share a page");
    }
    // The program headers are in memory when a segment's file part holds them.
    if (phdr_ == 0 && phoff >= s.offset && phoff + phnum_ * kPhdrBytes <= s.offset + s.file_bytes)
      phdr_ = s.vaddr + (phoff - s.offset);
    if (last > end_) end_ = last;
    segments_[count_++] = s;
  }
  if (count_ == 0) return refuse("no loadable segment");
  bool entry_inside = false;
  for (uint32_t i = 0; i < count_; ++i)
    entry_inside = entry_inside || (entry_ - segments_[i].vaddr < segments_[i].memory_bytes &&
                                    (segments_[i].prot & linux_abi::kPROT_EXEC) != 0);
  if (!entry_inside) return refuse("the entry point is not in an executable segment");
  return 0;
}

}  // namespace unixemu
