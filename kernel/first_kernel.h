// Starting the first kernel at boot (paper §2.4, §3): the Cache Kernel creates its
// kernel object locked with all the memory it is given, loads its ELF image into that
// memory, and starts its first thread in a locked home address space (ak_layout.h). The
// SRM is started this way; guest tests start their test application kernels the same way.
#pragma once

#include "ak_layout.h"
#include "devices.h"
#include "lib/format.h"
#include "object_caches.h"
#include "prom_table.h"

namespace ck {

struct StartedKernel {
  u32 kernel = kNoSlot;
  PhysAddr boot_info;  // where ck_boot_info is, physically (exit_code is read there)
  PhysAddr memory_used_end;
  DevicePages devices;      // in its memory: the console and clock pages (ck_boot_info)
  u32 entropy_sources = 0;  // where its ck_boot_info::entropy came from (CK_ENTROPY_*)
};

// The image's own PROM table (arch::prom_table()); false when it has none.
inline bool image_prom_table(PromTable* out) {
  const arch::PromBytes p = arch::prom_table();
  return out->parse(p.bytes, p.size);
}

// Starts the table's first image in `memory` (page-group aligned), with a read-only copy
// of the whole table (ck_boot_info::prom_table) for it to start the others. False, with
// the reason on `log`, when the image is not a libak application kernel or does not fit.
bool start_first_kernel(ObjectCaches& caches, const PromTable& prom, PhysRange memory, StrView arguments,
                        StartedKernel* out, Sink& log);

}  // namespace ck
