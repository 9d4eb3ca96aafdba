// Whole-page copies and clears for application kernels that move pages themselves (the
// UNIX emulator's zero-filled and copied pages; paper §2.1): MOVE16, the 68040's
// 16-byte line move, 256 of them a page. MOVE16 is coherent with the data cache (Linux
// copies pages with it on the 68040 too). Both pages must be 16-byte aligned.
#pragma once

namespace ak {

void copy_page(void* to, const void* from);
void zero_page(void* to);

}  // namespace ak
