// A Linux/m68k program file (ELF32, big-endian, EM_68K, ET_EXEC): what the emulator
// needs to build a process from it (paper §2: the emulator loads the address space of
// each process it runs) — its loadable segments, entry point and where its program
// headers appear in memory (AT_PHDR). Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

struct ProgramSegment {
  uint32_t vaddr = 0;  // as in the file (not page-aligned in general)
  uint32_t offset = 0;
  uint32_t file_bytes = 0;
  uint32_t memory_bytes = 0;
  uint32_t prot = 0;  // PROT_READ | PROT_WRITE | PROT_EXEC
};

class Program {
 public:
  static constexpr uint32_t kMaxSegments = 4;

  // 0, or -ENOEXEC when `bytes` is not a static m68k executable the emulator can run
  // (the reason in why()): wrong class, byte order, machine or type, a program
  // interpreter, segments outside the file, overlapping, misaligned or above the stack.
  int32_t parse(const uint8_t* bytes, uint32_t size) { return parse(bytes, size, size); }
  // The same from the file's first `head_bytes` bytes (the ELF and program headers must
  // lie there) and its size (the segments must lie within it).
  int32_t parse(const uint8_t* head, uint32_t head_bytes, uint32_t size);
  const char* why() const { return why_; }

  uint32_t entry() const { return entry_; }
  uint32_t segment_count() const { return count_; }
  const ProgramSegment& segment(uint32_t i) const { return segments_[i]; }
  uint32_t phdr_address() const { return phdr_; }  // 0: the headers are not loaded
  uint32_t phdr_count() const { return phnum_; }
  // The first page above every segment: where the program break starts.
  uint32_t end() const { return end_; }

 private:
  int32_t refuse(const char* why);

  ProgramSegment segments_[kMaxSegments];
  uint32_t count_ = 0, entry_ = 0, phdr_ = 0, phnum_ = 0, end_ = 0;
  const char* why_ = "";
};

}  // namespace unixemu
