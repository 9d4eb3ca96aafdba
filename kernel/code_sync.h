// CK_SYNC_CODE (paper §2.1, §3: application kernels load the code their threads run):
// instructions written through the data cache reach instruction fetches. The 68040's
// instruction cache does not snoop its copy-back data cache, and an application kernel
// in user mode cannot push caches, so it asks the Cache Kernel, page by page of a range
// of its own address space.
#pragma once

#include "ck/abi.h"
#include "lib/types.h"

namespace ck {

// Checks that [va, va + bytes) lies in pages mapped in the address space `root` (a
// refusal does nothing), then syncs each page (arch::sync_code_page).
ck_status sync_code(PhysAddr root, VirtAddr va, u32 bytes);

}  // namespace ck
