// The machine's entropy at boot (arch.h machine_entropy): QEMU's boot seed from the
// bootinfo list and one read of the virtio-rng device (virtio 1.1 §5.4: one queue of
// device-writable buffers the device fills with random bytes). The device is read once,
// by polling, before the first kernel runs, then reset: it raises no interrupt and the
// kernel keeps no state of it.
#include "arch/arch.h"
#include "arch/m68k/bootinfo.h"
#include "arch/m68k/mmu.h"
#include "arch/m68k/virtio_mmio.h"

namespace ck::arch {

namespace {

using namespace m68k::virtio;

constexpr u32 kQueueSize = 2;
// Polls of the used ring before giving up (QEMU answers from its main loop, in well
// under a thousand; a device that never answers costs the boot a few seconds at most).
constexpr u32 kPollLimit = 200000;

alignas(16) Desc g_desc[kQueueSize];
alignas(4) Avail<kQueueSize> g_avail;
alignas(4) Used<kQueueSize> g_used;
alignas(16) u8 g_buffer[kEntropyBytes];

// Bytes the device gave, folded into `out`; 0 without a device or an answer.
u32 read_device(u8 (&out)[kEntropyBytes]) {
  const Transport t = find(m68k::boot_info().virtio, kEntropyDevice);
  if (!t.present() || !start(t, kQueueSize, physical(g_desc), physical(&g_avail), physical(&g_used))) return 0;
  g_desc[0] =
      Desc{.addr = le64(physical(g_buffer).value()), .len = le32(kEntropyBytes), .flags = le16(kDescWrite), .next = 0};
  g_avail.ring[0] = le16(0);
  // The device reads memory, not the data cache; no dirty line of the buffer may be
  // pushed over what it writes.
  m68k::push_data_cache(physical(g_desc), sizeof g_desc);
  m68k::push_data_cache(physical(g_buffer), sizeof g_buffer);
  asm volatile("" : : : "memory");
  g_avail.idx = le16(1);
  m68k::push_data_cache(physical(&g_avail), sizeof g_avail);
  t.write(kRegQueueNotify, 0);
  u32 got = 0;
  for (u32 poll = 0; poll < kPollLimit; ++poll) {
    // The register read lets QEMU's main loop in; pushing the line also invalidates it.
    if ((t.read(kRegInterruptStatus) & 1) == 0) continue;
    m68k::push_data_cache(physical(&g_used), sizeof g_used);
    if (le16(*reinterpret_cast<volatile u16*>(&g_used.idx)) == 0) continue;
    got = le32(g_used.ring[0].len);
    break;
  }
  t.write(kRegStatus, 0);  // reset: nothing more from it
  if (got > kEntropyBytes) got = kEntropyBytes;
  m68k::push_data_cache(physical(g_buffer), sizeof g_buffer);
  for (u32 i = 0; i < got; ++i) out[i] ^= g_buffer[i];
  for (u8& b : g_buffer) b = 0;
  return got;
}

}  // namespace

u32 machine_entropy(u8 (&out)[kEntropyBytes]) {
  u32 sources = 0;
  const m68k::BootInfo& info = m68k::boot_info();
  if (info.seed_bytes != 0) {
    for (u32 i = 0; i < kEntropyBytes; ++i) out[i] ^= info.seed[i];
    sources |= CK_ENTROPY_BOOT_SEED;
  }
  if (read_device(out) != 0) sources |= CK_ENTROPY_DEVICE;
  return sources;
}

}  // namespace ck::arch
