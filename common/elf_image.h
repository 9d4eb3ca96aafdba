// An application kernel's ELF image (paper §3: the PROM holds the kernels the SRM
// starts): checks the header and lists the loadable segments. Pure; host-tested.
#pragma once

#include "lib/types.h"

namespace ck {

struct ElfSegment {
  u32 vaddr = 0;   // page-aligned
  u32 offset = 0;  // in the file
  u32 file_bytes = 0;
  u32 memory_bytes = 0;
  bool writable = false;
};

// The header libak's crt0.S puts first in the text segment.
struct AkHeader {
  u32 magic;
  u32 entry;
  u32 handler;
  u32 flags;  // kAk* below (the image's ak_image_flags symbol; 0 by default)
};
inline constexpr u32 kAkMagic = 0x434b414b;  // 'CKAK'
// The kernel's exception handler relies on mappings it locked (its memory and windows on
// the PROM table: the UNIX emulator's handler copies to and from them; a handler must not
// fault).
// A locked mapping stays only while its space and kernel object are locked too (paper
// §4.2), so the SRM loads such a kernel's object locked.
inline constexpr u32 kAkPinned = 0x1;
// The kernel's exception handler does not use the FPU: it is loaded with
// CK_KERNEL_HANDLER_NO_FPU (its forwards neither save nor reset the FPU).
inline constexpr u32 kAkHandlerNoFpu = 0x2;
// Bits 8-15: the page groups of 512 KiB the kernel is started with when its starter is
// not told (0: one). The UNIX emulator asks for 16 (8 MiB for its processes).
inline constexpr u32 kAkDefaultGroupsShift = 8;
inline constexpr u32 kAkDefaultGroupsMask = 0xff00;

class ElfImage {
 public:
  static constexpr u32 kMaxSegments = 4;

  // False when `bytes` is not a 32-bit big-endian m68k executable whose loadable
  // segments are page-aligned, inside the file, below 0xf0000000 and at most kMaxSegments.
  bool parse(const u8* bytes, u32 size);

  u32 entry() const { return entry_; }
  u32 segment_count() const { return count_; }
  const ElfSegment& segment(u32 i) const { return segments_[i]; }
  // The application-kernel header at the start of the lowest segment, if it has one.
  bool ak_header(AkHeader* out) const;
  // Lowest segment's address (0 without segments), and the first page above every segment.
  u32 start() const;
  u32 end() const;

 private:
  const u8* bytes_ = nullptr;
  u32 size_ = 0;
  u32 entry_ = 0;
  ElfSegment segments_[kMaxSegments];
  u32 count_ = 0;
};

}  // namespace ck
