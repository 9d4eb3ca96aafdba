// The SRM's console command line (paper §3): list the kernels with their grants and
// measured CPU share, start, stop, swap out, swap in; the images of the PROM table; and
// `sleep`/`wait` so that a typed-ahead script runs in step with the kernels.
#pragma once

#include "devices.h"

namespace srm {

void run_command(StrView line);
// `srm.start=NAME[:ARG...][,NAME...]` from the kernel command line: each like the console's
// `start NAME ARG...`.
void start_from_list(StrView list);
// While a `sleep` or `wait` holds, the next commands wait.
bool commands_held(uint64_t now);
bool shutdown_requested();

}  // namespace srm
