// What ak-mp3d prints (issue 19 item 5): a compact summary of a step, the paging figures
// of a run, and the density field of a cross-section for `cargo xtask mp3d`'s picture.
#pragma once

#include <stdint.h>

#include "simulation.h"

namespace mp3d_ak {

// "mp3d#K: step S: ..." (K: the kernel's slot).
void print_summary(uint32_t kernel, const mp3d::Summary& s);
// The density in the x-y plane, averaged over z and over the steps since the statistics
// were cleared, in molecules per cell x 100: lines "mp3d-density Y X0 V V V ..." of up
// to 16 values ("-" for a cell whose centre is inside the object), framed by
// "mp3d-density-begin NX NY" and "mp3d-density-end" (cargo xtask mp3d draws them).
void dump_density(const mp3d::Simulation& sim);

}  // namespace mp3d_ak
