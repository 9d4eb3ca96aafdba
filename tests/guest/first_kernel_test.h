// Guest tests that run an application kernel on the Cache Kernel: the image embeds one
// (ck_add_image ... AK), started as the first kernel once per scenario.
#pragma once

#include "ktest.h"
#include "lib/str.h"

namespace ck {

// Starts the embedded application kernel with `scenario` as its argument string, runs
// the Cache Kernel until its threads are gone, and checks its verdict (the number of
// failed checks it counted, its exit code), that every exception was forwarded, and
// that the caches are consistent afterwards; then empties them for the next case.
void run_first_kernel_scenario(ktest::Context& t, StrView scenario);

}  // namespace ck
