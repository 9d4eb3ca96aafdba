// Swapping an application kernel to the disk and back (paper §3: the SRM "may swap the
// application kernel out, unloading its objects and saving its state on disk"): every
// object of the kernel leaves the Cache Kernel, its memory goes to the disk and is
// cleared, and its page groups return to the pool; swapped in, it gets the same groups
// back, its memory from the disk and its objects reloaded, and runs on.
#pragma once

#include "kernels.h"

namespace srm {

// Both report on the console; false (and nothing changed) when they cannot.
bool swap_out(Kernel& k);
bool swap_in(Kernel& k);

}  // namespace srm
