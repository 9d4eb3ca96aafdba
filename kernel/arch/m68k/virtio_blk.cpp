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
#include "arch/m68k/virtio_mmio.h"

namespace ck::arch {

namespace {

using namespace m68k::virtio;

constexpr u32 kRequestIn = 0, kRequestOut = 1;
constexpr u32 kQueueSize = 4;

struct RequestHeader {
  u32 type;
  u32 reserved;
  u64 sector;
};

// The queue and the request's header and status, in the kernel's memory (physical =
// virtual for the kernel).
alignas(16) Desc g_desc[kQueueSize];
alignas(4) Avail<kQueueSize> g_avail;
alignas(4) Used<kQueueSize> g_used;
RequestHeader g_header;
volatile u8 g_status;

struct Disk {
  Transport device;
  u64 sectors = 0;
  u16 avail_idx = 0;
  u16 used_seen = 0;
  bool probed = false;
  // The transfer in flight.
  bool busy = false;
  bool write_request = false;
  PhysAddr buffer;
  u32 buffer_bytes = 0;

  u32 read(u32 offset) const { return device.read(offset); }
  void write(u32 offset, u32 value) const { device.write(offset, value); }
};
Disk g_disk;

Disk& disk() {
  if (g_disk.probed) return g_disk;
  g_disk.probed = true;
  const Transport t = find(m68k::boot_info().virtio, kBlockDevice);
  if (t.present() && start(t, kQueueSize, physical(g_desc), physical(&g_avail), physical(&g_used))) {
    g_disk.device = t;
    g_disk.sectors = static_cast<u64>(t.read(kRegConfig + 4)) << 32 | t.read(kRegConfig);
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
  return d.sectors != 0 ? d.device.irq : 0;
}

void acknowledge_disk_interrupt() {
  const arch::Disk& d = arch::disk();
  d.write(virtio::kRegInterruptAck, d.read(virtio::kRegInterruptStatus));
}

}  // namespace ck::m68k
