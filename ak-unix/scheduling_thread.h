// The emulator's scheduling thread (paper §2.3: "the UNIX emulator per-processor
// scheduling thread wakes up on each rescheduling interval, adjusts the priorities of
// other threads to enforce its policies, and goes back to sleep"; issue 18 item 7): libak's
// locked scheduling thread at the emulator's level, which every period samples each loaded
// process thread's processor time (CK_THREAD_STATS) and applies the policy's decisions
// (scheduler.h) with CK_SET_PRIORITY.
#pragma once

#include "ck/abi.h"

namespace unixemu {

// Sets the policy's levels under the kernel's priority ceiling, raises the calling
// (first) thread to the emulator's level and starts the scheduling thread in `space`.
// False when the Cache Kernel refused it (the processes then keep their load levels).
bool start_scheduling(ck_id first_thread, ck_id space);

}  // namespace unixemu
