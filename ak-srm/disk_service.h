// The SRM's disk service (issue 19; common/disk_mailbox.h for the protocol): kernels page
// to their own area of the disk through it. Each kernel slot's paging area lies after
// the swap areas (swap.h), kPagingAreaGroups groups of it.
#pragma once

#include <stdint.h>

#include "kernels.h"

namespace srm {

inline constexpr uint32_t kPagingAreaGroups = 16;  // 8 MiB a kernel slot

// Connects kernels that asked and answers their pending transfers; called on each wake
// of the SRM's loop (a request page's signal wakes it).
void answer_disk_service();
// The kernel's memory is about to go (it ends, restarts or is swapped out): its request
// page is no longer the SRM's to map or read.
void disk_service_forget(const Kernel& k);
// Transfers done so far (all kernels).
uint32_t disk_service_transfers();

}  // namespace srm
