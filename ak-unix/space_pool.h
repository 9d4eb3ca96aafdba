// An ended process's address space kept for the next fork (issue 18 item 11; paper §2.1:
// the emulator decides when its spaces and mappings leave the Cache Kernel). A process's
// end unloaded its space and every mapping in it, about 900 instructions a mapping, and
// the next forked child loaded most of the same mappings again, fault by fault or from
// its start-up history: a fork's child (and a program it execs again, exec.h's kept
// mappings) runs the same program as its parent, whose text and read-only data are the
// same frames at the same addresses (image_pages.h, and copy-on-write sharing). So the
// space of an ended process stays loaded with its read-only mappings (one space at most;
// its writable ones are unloaded at the end, their frames being the process's own), and
// the next forked child takes it: each kept mapping stays where the child's page map has
// the same frame at that address in a region it may read (what its read fault would load
// there), and is unloaded otherwise.
//
// No frame reference is held for a kept mapping: no thread runs in the kept space, so a
// frame freed and used again meanwhile is never read through it, and a mapping stays only
// where the child's own page map names that very frame.
#pragma once

#include <stdint.h>

#include "emulator.h"
#include "libak.h"
#include "page_map.h"
#include "process.h"

namespace unixemu {

// At a process's end: its space `space` is kept with the mappings its page map says may be
// loaded read-only (its writable ones, and any beyond what is kept, unloaded), told page
// by page in the walk that frees the process's frames (one walk of the page map, not
// two): keep_space_begin (false, and nothing done, when a space is kept already: the
// caller unloads this one), keep_space_page for each page (as PageMap::for_each_loaded
// gives it), keep_space_end.
bool keep_space_begin(ck_id space);
inline void keep_space_page(ck_id space, uint32_t va, uint32_t frame, uint32_t loaded);
void keep_space_end(ck_id space);

// Forked child `c` (its page map and regions made, no space yet) takes the kept space, if
// there is one, as said above.
void adopt_kept_space(Process& c);

// The Cache Kernel wrote back space `space` (displaced): true if it was the kept one, now
// forgotten.
bool kept_space_gone(ck_id space);

// Unloads the kept space (the Cache Kernel is short of page tables: evict_space): true
// when there was one.
bool release_kept_space();

// The kept space and the read-only mappings it holds (more are unloaded at the end).
// Here for keep_space_page, inline: a process's end tells it each of its pages.
struct KeptSpace {
  static constexpr uint32_t kMax = 256;
  ck_id space = 0;
  uint32_t count = 0;
  uint32_t va[kMax];
  uint32_t frame[kMax];
};
extern KeptSpace g_kept;

inline void keep_space_page(ck_id space, uint32_t va, uint32_t frame, uint32_t loaded) {
  if (loaded == PageMap::kLoaded && g_kept.count < KeptSpace::kMax) {
    g_kept.va[g_kept.count] = va;
    g_kept.frame[g_kept.count++] = frame;
  } else if (loaded != 0) {
    unload_mapping_surely(space, va);
  }
}

}  // namespace unixemu
