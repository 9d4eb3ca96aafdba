// Parser for the Linux/m68k bootinfo record list (see bootinfo.h).
#include "arch/m68k/bootinfo.h"

#include "lib/endian.h"

namespace ck::m68k {

namespace {

constexpr usize kHeaderBytes = 4;  // u16 tag, u16 size (size counts the header)

// Bytes of payload each tag needs; 0 = variable or ignored.
constexpr usize payload_needed(BootTag tag) {
  switch (tag) {
    case BootTag::MachineType:
    case BootTag::CpuType:
    case BootTag::FpuType:
    case BootTag::MmuType:
    case BootTag::VirtQemuVersion:
      return 4;
    case BootTag::MemoryChunk:
    case BootTag::VirtPicBase:
    case BootTag::VirtRtcBase:
    case BootTag::VirtTtyBase:
    case BootTag::VirtVirtioBase:
    case BootTag::VirtCtrlBase:
      return 8;
    case BootTag::RngSeed:
    case BootTag::VirtRngSeed:
      return 2;  // its length
    default:
      return 0;
  }
}

Device read_device(const u8* payload) { return Device{PhysAddr(load_be32(payload)), load_be32(payload + 4), true}; }

}  // namespace

StrView describe(BootInfoStatus status) {
  switch (status) {
    case BootInfoStatus::Ok:
      return "ok";
    case BootInfoStatus::NoLastRecord:
      return "no BI_LAST record within the size limit";
    case BootInfoStatus::BadRecordSize:
      return "a record has an impossible size";
    case BootInfoStatus::TooManyMemoryChunks:
      return "more memory chunks than the kernel supports";
    case BootInfoStatus::NoMemory:
      return "no memory chunk";
  }
  return "unknown status";
}

BootInfoStatus parse_bootinfo(const u8* data, usize limit, BootInfo* out) {
  usize offset = 0;
  while (offset + kHeaderBytes <= limit) {
    const auto tag = static_cast<BootTag>(load_be16(data + offset));
    const usize size = load_be16(data + offset + 2);
    if (tag == BootTag::Last) {
      out->length = offset + kHeaderBytes;
      return out->memory_count == 0 ? BootInfoStatus::NoMemory : BootInfoStatus::Ok;
    }
    if (size < kHeaderBytes || size % 2 != 0 || offset + size > limit || size - kHeaderBytes < payload_needed(tag)) {
      return BootInfoStatus::BadRecordSize;
    }
    const u8* payload = data + offset + kHeaderBytes;
    const usize payload_size = size - kHeaderBytes;

    switch (tag) {
      case BootTag::MachineType:
        out->machine = load_be32(payload);
        break;
      case BootTag::CpuType:
        out->cpu = load_be32(payload);
        break;
      case BootTag::FpuType:
        out->fpu = load_be32(payload);
        break;
      case BootTag::MmuType:
        out->mmu = load_be32(payload);
        break;
      case BootTag::VirtQemuVersion:
        out->qemu_version = load_be32(payload);
        break;
      case BootTag::MemoryChunk:
        if (out->memory_count == BootInfo::kMaxMemoryChunks) return BootInfoStatus::TooManyMemoryChunks;
        out->memory[out->memory_count++] = PhysRange{PhysAddr(load_be32(payload)), load_be32(payload + 4)};
        break;
      case BootTag::CommandLine: {
        usize length = 0;
        while (length < payload_size && payload[length] != '\0') ++length;
        out->command_line_truncated = !copy_terminated(StrView(reinterpret_cast<const char*>(payload), length),
                                                       out->command_line, BootInfo::kCommandLineCapacity);
        break;
      }
      case BootTag::VirtPicBase:
        out->pic = read_device(payload);
        break;
      case BootTag::VirtRtcBase:
        out->rtc = read_device(payload);
        break;
      case BootTag::VirtTtyBase:
        out->tty = read_device(payload);
        break;
      case BootTag::VirtVirtioBase:
        out->virtio = read_device(payload);
        break;
      case BootTag::VirtCtrlBase:
        out->ctrl = read_device(payload);
        break;
      case BootTag::RngSeed:
      case BootTag::VirtRngSeed: {
        // u16 length, then the bytes; a longer seed is folded in, more seeds add to it.
        const usize length = load_be16(payload);
        if (length > payload_size - 2) return BootInfoStatus::BadRecordSize;
        for (usize i = 0; i < length; ++i) out->seed[i % BootInfo::kSeedCapacity] ^= payload[2 + i];
        const usize took = length < BootInfo::kSeedCapacity ? length : BootInfo::kSeedCapacity;
        if (took > out->seed_bytes) out->seed_bytes = took;
        break;
      }
      case BootTag::RamDisk:  // the kernel takes no initrd
        break;
      default:
        ++out->unknown_records;
        break;
    }
    offset += size;
  }
  return BootInfoStatus::NoLastRecord;
}

}  // namespace ck::m68k
