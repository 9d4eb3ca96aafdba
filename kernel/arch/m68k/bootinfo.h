// Parser for the Linux/m68k bootinfo record list that QEMU's virt machine places right
// after the loaded image (DESIGN.md §1): RAM, CPU, device bases, command line.
// Pure code, host-tested (tests/host/bootinfo_test.cpp).
#pragma once

#include "lib/str.h"
#include "lib/types.h"

namespace ck::m68k {

enum class BootTag : u16 {
  Last = 0x0000,
  MachineType = 0x0001,
  CpuType = 0x0002,
  FpuType = 0x0003,
  MmuType = 0x0004,
  MemoryChunk = 0x0005,
  RamDisk = 0x0006,
  CommandLine = 0x0007,
  RngSeed = 0x0008,
  VirtQemuVersion = 0x8000,
  VirtPicBase = 0x8001,
  VirtRtcBase = 0x8002,
  VirtTtyBase = 0x8003,
  VirtVirtioBase = 0x8004,
  VirtCtrlBase = 0x8005,
  VirtRngSeed = 0x8006,
};

// Values of the type records (Linux's asm/bootinfo.h).
inline constexpr u32 kMachineVirt = 14;
inline constexpr u32 kCpu68040 = 1u << 2;
inline constexpr u32 kFpu68040 = 1u << 2;
inline constexpr u32 kMmu68040 = 1u << 2;

struct Device {
  PhysAddr base;
  u32 irq = 0;  // QEMU's numbering: 8 + (pic - 1) * 32 + (line - 1)
  bool present = false;
};

struct BootInfo {
  static constexpr usize kMaxMemoryChunks = 4;
  static constexpr usize kCommandLineCapacity = 256;
  static constexpr usize kSeedCapacity = 32;

  u32 machine = 0, cpu = 0, fpu = 0, mmu = 0;
  u32 qemu_version = 0;  // major << 24 | minor << 16 | micro << 8
  PhysRange memory[kMaxMemoryChunks];
  usize memory_count = 0;
  Device pic, rtc, tty, ctrl, virtio;
  char command_line[kCommandLineCapacity] = {};
  bool command_line_truncated = false;
  // The random seed QEMU gives (BI_RNG_SEED or the older BI_VIRT_RNG_SEED: the host's
  // getrandom), folded into kSeedCapacity bytes; seed_bytes: how many it gave (at most
  // the capacity), 0 without one.
  u8 seed[kSeedCapacity] = {};
  usize seed_bytes = 0;
  usize length = 0;  // bytes of the list, BI_LAST included
  u32 unknown_records = 0;
};

enum class BootInfoStatus : u8 {
  Ok,
  NoLastRecord,         // ran past the size limit without a BI_LAST record
  BadRecordSize,        // a record shorter than its header, odd, or too short for its tag
  TooManyMemoryChunks,  // more than kMaxMemoryChunks BI_MEMCHUNK records
  NoMemory,             // no BI_MEMCHUNK record
};

StrView describe(BootInfoStatus status);

// Parses at most `limit` bytes at `data`. Fills `out` as far as it got even on error,
// so a console found before the error can still report it.
BootInfoStatus parse_bootinfo(const u8* data, usize limit, BootInfo* out);

}  // namespace ck::m68k

namespace ck::m68k {

// The list this boot was given (platform.cpp), for machine-specific code and tests.
const BootInfo& boot_info();

}  // namespace ck::m68k
