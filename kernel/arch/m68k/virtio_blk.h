// The disk's interrupt (virtio_blk.cpp; paper §2.2 devices): which line it raises and how
// the interrupt handler quiets it. The transfers are arch.h's disk_start/disk_poll.
#pragma once

#include "lib/types.h"

namespace ck::m68k {

// The disk's interrupt number (goldfish PIC numbering), or 0 when there is no disk.
u32 disk_irq();
// Acknowledges the device's interrupt (its used-ring update).
void acknowledge_disk_interrupt();

}  // namespace ck::m68k
