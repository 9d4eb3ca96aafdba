// Measuring masked stretches (masked_stretch.h; issue 15): the measuring variant, linked
// into images built with ck_add_image(... MEASURE_MASKED ...), such as the fuzz image.
#include "arch/m68k/masked_stretch.h"

#include "arch/arch.h"
#include "ck/abi.h"

namespace ck::arch {

namespace {

struct Stretch {
  u64 ns = 0;
  u32 what = 0;
};

bool g_active = false;
u32 g_begun = 0;
u32 g_what = 0;
Stretch g_longest, g_longest_outside_walk;

}  // namespace

namespace masked {

void begin(u32 what) {
  if (g_active) return;
  g_active = true;
  g_what = what;
  g_begun = stamp();
}

void begin_call(u32 op, u32 first_argument) {
  if (op == CK_QUERY && first_argument == CK_QUERY_DIGEST) return begin(MaskedStretches::kInvariantWalk);
  begin(op < CK_OP_COUNT ? op : MaskedStretches::kUnknownCall);
}

void end() {
  if (!g_active) return;
  g_active = false;
  const u64 ns = stamp() - g_begun;  // modulo 2^32: stretches are far shorter
  if (ns > g_longest.ns) g_longest = Stretch{ns, g_what};
  if (g_what != MaskedStretches::kInvariantWalk && ns > g_longest_outside_walk.ns)
    g_longest_outside_walk = Stretch{ns, g_what};
}

}  // namespace masked

MaskedStretches masked_stretches() {
  return MaskedStretches{.measured = true,
                         .longest_ns = g_longest.ns,
                         .longest_what = g_longest.what,
                         .outside_walk_ns = g_longest_outside_walk.ns,
                         .outside_walk_what = g_longest_outside_walk.what};
}

}  // namespace ck::arch
