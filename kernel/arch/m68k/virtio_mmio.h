// The virtio-mmio transport of QEMU's virt machine (virtio 1.1 §4.2, version 2, the
// "modern" layout): its 128 slots, their registers (little-endian) and the handshake
// every driver starts with. Drivers: the disk (virtio_blk.cpp) and the entropy source
// (virtio_rng.cpp).
#pragma once

#include "arch/m68k/bootinfo.h"
#include "arch/m68k/mmio.h"
#include "lib/types.h"

namespace ck::m68k::virtio {

constexpr u32 kMagic = 0x74726976;  // "virt"
constexpr u32 kSlots = 128, kSlotBytes = 0x200;
// Device ids (virtio 1.1 §5).
constexpr u32 kBlockDevice = 2, kEntropyDevice = 4;
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
// Descriptor flags.
constexpr u16 kDescNext = 1, kDescWrite = 2;

constexpr u16 le16(u16 v) { return __builtin_bswap16(v); }
constexpr u32 le32(u32 v) { return __builtin_bswap32(v); }
constexpr u64 le64(u64 v) { return __builtin_bswap64(v); }

// A split virtqueue's descriptor (virtio 1.1 §2.6.5), as the device reads it.
struct Desc {
  u64 addr;
  u32 len;
  u16 flags;
  u16 next;
};

// The driver's and the device's rings of a split virtqueue of N entries (§2.6.6, §2.6.8).
template <u32 N>
struct Avail {
  u16 flags;
  u16 idx;
  u16 ring[N];
  u16 used_event;
};
struct UsedElem {
  u32 id;
  u32 len;
};
template <u32 N>
struct Used {
  u16 flags;
  u16 idx;
  UsedElem ring[N];
  u16 avail_event;
};

// Where the device finds the kernel's queue memory (physical = virtual for the kernel).
inline PhysAddr physical(const volatile void* p) { return PhysAddr(static_cast<u32>(reinterpret_cast<usize>(p))); }

// One slot's registers.
struct Transport {
  MmioRegion regs;
  u32 irq = 0;  // the slot's interrupt line (the virt machine gives them in order)

  bool present() const { return regs.present(); }
  u32 read(u32 offset) const { return le32(regs.read(offset)); }
  void write(u32 offset, u32 value) const { regs.write(offset, le32(value)); }
};

// The first slot with a version-2 device of `device_id`, or a Transport that is not
// present.
inline Transport find(const Device& virtio, u32 device_id) {
  if (!virtio.present) return Transport{};
  for (u32 n = 0; n < kSlots; ++n) {
    const Transport t{.regs = MmioRegion(virtio.base + n * kSlotBytes), .irq = virtio.irq + n};
    if (t.read(kRegMagic) == kMagic && t.read(kRegVersion) == 2 && t.read(kRegDeviceId) == device_id) return t;
  }
  return Transport{};
}

// The handshake (virtio 1.1 §3.1.1) with no feature but VERSION_1, and queue 0 of
// `size` entries at the given physical addresses; the device is live when it returns
// true. False: the device refused, it is left reset.
inline bool start(const Transport& t, u32 size, PhysAddr desc, PhysAddr avail, PhysAddr used) {
  t.write(kRegStatus, 0);  // reset
  t.write(kRegStatus, kAcknowledge);
  t.write(kRegStatus, kAcknowledge | kDriver);
  t.write(kRegDeviceFeaturesSel, 1);
  const bool modern = (t.read(kRegDeviceFeatures) & kFeatureVersion1) != 0;
  if (modern) {
    t.write(kRegDriverFeaturesSel, 1);
    t.write(kRegDriverFeatures, kFeatureVersion1);
    t.write(kRegDriverFeaturesSel, 0);
    t.write(kRegDriverFeatures, 0);
    t.write(kRegStatus, kAcknowledge | kDriver | kFeaturesOk);
  }
  if (!modern || (t.read(kRegStatus) & kFeaturesOk) == 0) {
    t.write(kRegStatus, 0);
    return false;
  }
  t.write(kRegQueueSel, 0);
  if (t.read(kRegQueueNumMax) < size) {
    t.write(kRegStatus, 0);
    return false;
  }
  t.write(kRegQueueNum, size);
  t.write(kRegQueueDescLow, desc.value());
  t.write(kRegQueueDescHigh, 0);
  t.write(kRegQueueDriverLow, avail.value());
  t.write(kRegQueueDriverHigh, 0);
  t.write(kRegQueueDeviceLow, used.value());
  t.write(kRegQueueDeviceHigh, 0);
  t.write(kRegQueueReady, 1);
  t.write(kRegStatus, kAcknowledge | kDriver | kFeaturesOk | kDriverOk);
  return true;
}

}  // namespace ck::m68k::virtio
