// The disk: virtio-blk over virtio-mmio version 2 (the "modern" transport QEMU's virt
// machine gives, force-legacy=false) with one split virtqueue (virtio 1.1 §2.6, §4.2,
// §5.2). Registers and rings are little-endian; requests go one at a time, from the
// Cache Kernel's disk device page (devices.cpp), and end with the device's interrupt:
// the kernel never waits for the disk with interrupts masked.
#include "arch/m68k/virtio_blk.h"
#include "arch/arch.h"
#include "arch/m68k/bootinfo.h"
#include "arch/m68k/mmio.h"
#include "arch/m68k/mmu.h"

namespace ck::arch {

namespace {

using m68k::MmioRegion;

constexpr u32 kMagic = 0x74726976;  // "virt"
constexpr u32 kSlots = 128, kSlotBytes = 0x200;
constexpr u32 kBlockDevice = 2;
// Register offsets.
constexpr u32 kRegMagic = 0x000, kRegVersion = 0x004, kRegDeviceId = 0x008, kRegDeviceFeatures = 0x010,
              kRegDeviceFeaturesSel = 0x014, kRegDriverFeatures = 0x020, kRegDriverFeaturesSel = 0x024,
              kRegQueueSel = 0x030, kRegQueueNumMax = 0x034, kRegQueueNum = 0x038, kRegQueueReady = 0x044,
              kRegQueueNotify = 0x050, kRegInterruptStatus = 0x060, kRegInterruptAck = 0x064, kRegStatus = 0x070,
              kRegQueueDescLow = 0x080, kRegQueueDescHigh = 0x084, kRegQueueDriverLow = 0x090,
              kRegQueueDriverHigh = 0x094, kRegQueueDeviceLow = 0x0a0, kRegQueueDeviceHigh = 0x0a4, kRegConfig = 0x100;
// Device status bits.
constexpr u32 kAcknowledge = 1, kDriver = 2, kDriverOk = 4, kFeaturesOk = 8;
constexpr u32 kFeatureVersion1 = 1;  // bit 32: in the second feature word
constexpr u16 kDescNext = 1, kDescWrite = 2;
constexpr u32 kRequestIn = 0, kRequestOut = 1;
constexpr u32 kQueueSize = 4;

constexpr u16 le16(u16 v) { return __builtin_bswap16(v); }
constexpr u32 le32(u32 v) { return __builtin_bswap32(v); }
constexpr u64 le64(u64 v) { return __builtin_bswap64(v); }

struct Desc {
  u64 addr;
  u32 len;
  u16 flags;
  u16 next;
};
struct Avail {
  u16 flags;
  u16 idx;
  u16 ring[kQueueSize];
  u16 used_event;
};
struct UsedElem {
  u32 id;
  u32 len;
};
struct Used {
  u16 flags;
  u16 idx;
  UsedElem ring[kQueueSize];
  u16 avail_event;
};
struct RequestHeader {
  u32 type;
  u32 reserved;
  u64 sector;
};

// The queue and the request's header and status, in the kernel's memory (physical =
// virtual for the kernel).
alignas(16) Desc g_desc[kQueueSize];
alignas(4) Avail g_avail;
alignas(4) Used g_used;
RequestHeader g_header;
volatile u8 g_status;

struct Disk {
  MmioRegion regs;
  u64 sectors = 0;
  u32 irq = 0;  // its virtio-mmio slot's interrupt
  u16 avail_idx = 0;
  u16 used_seen = 0;
  bool probed = false;
  // The transfer in flight.
  bool busy = false;
  bool write_request = false;
  PhysAddr buffer;
  u32 buffer_bytes = 0;

  u32 read(u32 offset) const { return le32(regs.read(offset)); }
  void write(u32 offset, u32 value) const { regs.write(offset, le32(value)); }
};
Disk g_disk;

PhysAddr physical(const volatile void* p) { return PhysAddr(static_cast<u32>(reinterpret_cast<usize>(p))); }

bool start(Disk& d) {
  d.write(kRegStatus, 0);  // reset
  d.write(kRegStatus, kAcknowledge);
  d.write(kRegStatus, kAcknowledge | kDriver);
  d.write(kRegDeviceFeaturesSel, 1);
  if ((d.read(kRegDeviceFeatures) & kFeatureVersion1) == 0) return false;
  d.write(kRegDriverFeaturesSel, 1);
  d.write(kRegDriverFeatures, kFeatureVersion1);
  d.write(kRegDriverFeaturesSel, 0);
  d.write(kRegDriverFeatures, 0);
  d.write(kRegStatus, kAcknowledge | kDriver | kFeaturesOk);
  if ((d.read(kRegStatus) & kFeaturesOk) == 0) return false;
  d.write(kRegQueueSel, 0);
  if (d.read(kRegQueueNumMax) < kQueueSize) return false;
  d.write(kRegQueueNum, kQueueSize);
  d.write(kRegQueueDescLow, physical(g_desc).value());
  d.write(kRegQueueDescHigh, 0);
  d.write(kRegQueueDriverLow, physical(&g_avail).value());
  d.write(kRegQueueDriverHigh, 0);
  d.write(kRegQueueDeviceLow, physical(&g_used).value());
  d.write(kRegQueueDeviceHigh, 0);
  d.write(kRegQueueReady, 1);
  d.write(kRegStatus, kAcknowledge | kDriver | kFeaturesOk | kDriverOk);
  d.sectors = static_cast<u64>(d.read(kRegConfig + 4)) << 32 | d.read(kRegConfig);
  return true;
}

Disk& disk() {
  if (g_disk.probed) return g_disk;
  g_disk.probed = true;
  const m68k::Device& v = m68k::boot_info().virtio;
  if (!v.present) return g_disk;
  for (u32 n = 0; n < kSlots; ++n) {
    Disk d;
    d.regs = MmioRegion(v.base + n * kSlotBytes);
    if (d.read(kRegMagic) != kMagic || d.read(kRegVersion) != 2 || d.read(kRegDeviceId) != kBlockDevice) continue;
    d.irq = v.irq + n;  // slot n's line: the virt machine gives them in order
    if (start(d)) g_disk = d;
    g_disk.probed = true;
    break;
  }
  return g_disk;
}

}  // namespace

u64 disk_sectors() { return disk().sectors; }

bool disk_start(bool write, u64 sector, PhysAddr buffer, u32 sectors) {
  Disk& d = disk();
  if (d.sectors == 0 || d.busy || sectors == 0 || sector + sectors > d.sectors) return false;
  g_header = RequestHeader{.type = le32(write ? kRequestOut : kRequestIn), .reserved = 0, .sector = le64(sector)};
  g_status = 0xff;
  g_desc[0] = Desc{.addr = le64(physical(&g_header).value()),
                   .len = le32(sizeof g_header),
                   .flags = le16(kDescNext),
                   .next = le16(1)};
  g_desc[1] = Desc{.addr = le64(buffer.value()),
                   .len = le32(sectors * kSectorBytes),
                   .flags = le16(static_cast<u16>(kDescNext | (write ? 0 : kDescWrite))),
                   .next = le16(2)};
  g_desc[2] = Desc{.addr = le64(physical(&g_status).value()), .len = le32(1), .flags = le16(kDescWrite), .next = 0};
  g_avail.ring[d.avail_idx % kQueueSize] = le16(0);
  d.avail_idx += 1;
  // The device reads memory, not the data cache: push what it will read or write.
  m68k::push_data_cache(physical(g_desc), sizeof g_desc);
  m68k::push_data_cache(physical(&g_header), sizeof g_header);
  m68k::push_data_cache(buffer, sectors * kSectorBytes);
  m68k::push_data_cache(physical(&g_status), 1);  // its 0xff must not be pushed later
  asm volatile("" : : : "memory");
  g_avail.idx = le16(d.avail_idx);
  m68k::push_data_cache(physical(&g_avail), sizeof g_avail);
  d.busy = true;
  d.write_request = write;
  d.buffer = buffer;
  d.buffer_bytes = sectors * kSectorBytes;
  d.write(kRegQueueNotify, 0);
  return true;
}

DiskState disk_poll() {
  Disk& d = disk();
  if (!d.busy) return DiskState::Idle;
  // The used ring as the device wrote it (pushing a line also invalidates it).
  m68k::push_data_cache(physical(&g_used), sizeof g_used);
  if (le16(*reinterpret_cast<volatile u16*>(&g_used.idx)) == d.used_seen) return DiskState::Busy;
  d.used_seen += 1;
  d.busy = false;
  m68k::push_data_cache(physical(&g_status), 1);
  if (!d.write_request) m68k::push_data_cache(d.buffer, d.buffer_bytes);
  return g_status == 0 ? DiskState::Done : DiskState::Failed;
}

}  // namespace ck::arch

namespace ck::m68k {

u32 disk_irq() {
  const arch::Disk& d = arch::disk();
  return d.sectors != 0 ? d.irq : 0;
}

void acknowledge_disk_interrupt() {
  const arch::Disk& d = arch::disk();
  d.write(arch::kRegInterruptAck, d.read(arch::kRegInterruptStatus));
}

}  // namespace ck::m68k
