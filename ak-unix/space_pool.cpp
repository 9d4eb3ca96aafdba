// The kept space of an ended process (space_pool.h).
#include "space_pool.h"

#include "emulator.h"
#include "linux_abi.h"
#include "regions.h"

namespace unixemu {

KeptSpace g_kept;

bool keep_space_begin(ck_id) {
  if (g_kept.space != 0) return false;
  g_kept.count = 0;
  return true;
}

void keep_space_end(ck_id space) { g_kept.space = space; }

void adopt_kept_space(Process& c) {
  if (g_kept.space == 0 || !c.is_leader() || c.space != 0) return;
  const ck_id space = g_kept.space;
  g_kept.space = 0;
  for (uint32_t i = 0; i < g_kept.count; ++i) {
    const uint32_t va = g_kept.va[i];
    const Region* r = c.regions.find(va);
    // Read-only, as a read fault of the child would load it (a write to it faults and
    // is handled as any write to a page mapped read-only).
    const bool same = c.pages.lookup(va) == g_kept.frame[i] && r != nullptr &&
                      (r->prot & (linux_abi::kPROT_READ | linux_abi::kPROT_WRITE | linux_abi::kPROT_EXEC)) != 0;
    if (same)
      c.pages.mark_loaded(va, false);
    else
      unload_mapping_surely(space, va);
  }
  g_kept.count = 0;
  c.space = space;
}

bool kept_space_gone(ck_id space) {
  if (g_kept.space == 0 || space != g_kept.space) return false;
  g_kept.space = 0;
  g_kept.count = 0;
  return true;
}

bool release_kept_space() {
  if (g_kept.space == 0) return false;
  const ck_id space = g_kept.space;
  g_kept.space = 0;
  g_kept.count = 0;
  int32_t s = ak::unload_space(space);
  for (uint32_t calls = 0; (s == CK_E_PARTIAL || s == CK_E_RETRY) && calls < 100000; ++calls) {
    drain_ring();
    s = ak::unload_space(space);
  }
  drain_ring();
  return true;
}

}  // namespace unixemu
