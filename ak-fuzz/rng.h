// The hostile kernel's random numbers (issue 15): common/lib/rng.h's xorshift64, so that
// a seed replays the same calls and instruction streams (the reproducer is the seed and
// the batch).
#pragma once

#include "lib/rng.h"

namespace fuzz {

using Rng = ck::Rng;

}  // namespace fuzz
