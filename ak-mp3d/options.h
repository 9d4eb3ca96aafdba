// ak-mp3d's arguments (issue 19; the SRM passes what follows `start mp3d`):
//   molecules=N cells=XxYxZ steps=S threads=T policy=mp3d|fifo|clock|lru|compare
//   object=wedge|plate|none seed=N collide=N (per 65536) report=K dump=1 capacity=N
//   warmup=W (steps before the statistics the dump shows start) walls=specular|diffuse
//   wall_thermal=N (diffuse walls: the spread of a re-emitted component, 1/65536 cells a step)
//   share=T (its charged processor time within T points of its grant, or the run fails)
//   readahead=0|1 (the mp3d policy reads the sweep's next page ahead; default 1)
#pragma once

#include <stdint.h>

#include "params.h"

namespace mp3d_ak {

enum class PolicyKind : uint32_t { Sweep, Fifo, Clock, Compare };

struct Options {
  mp3d::Params params;
  uint32_t steps = 10;
  uint32_t threads = 1;
  PolicyKind policy = PolicyKind::Sweep;
  uint32_t report = 0;  // a summary every K steps (0: at the end only)
  bool dump = false;    // the density field at the end
  uint32_t warmup = 0;
  // share=T: report the processor time the Cache Kernel charged it over the run against
  // its grant (cpu=P), and fail the run unless it is within T percentage points (0: off).
  uint32_t share = 0;
  // readahead=0: the mp3d policy pages on demand only (to compare).
  bool read_ahead = true;
};

// False (and a message printed) when an argument is not understood.
bool parse_options(const char* text, Options* out);
const char* policy_name(PolicyKind kind);

}  // namespace mp3d_ak
