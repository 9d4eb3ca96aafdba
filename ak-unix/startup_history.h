// What a program touched as it started, kept from one run to the next (issue 18 item 11):
// an exec'd program's first faults are the same pages each time it runs (its start-up
// code, glibc's initialisation, their data), each a fault of about 1,500 instructions
// (the forward, the handler, CK_LOAD_MAPPING_RESUME). The pages its earlier runs faulted
// on are loaded before its thread resumes, one CK_LOAD_MAPPING each (as an operating
// system's prefetch of an application's start-up pages; Linux's fault-around is the
// same idea for the page cache). Only mappings are loaded, with the rights a fault would
// give them (resident_frame and writable_now decide): what the program sees is the same.
// A page it does not touch this time costs its load and its unload.
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// Marks `p` (its thread group) as starting program `node` from now on: its first faults
// are added to the program's history.
void start_history(Process& p, uint32_t node);

// A mapping fault of `p` at page `va` (`write`, `execute`: what the access was): added to
// its program's history while it is in its first faults.
void note_fault(Process& p, uint32_t va, bool write, bool execute);

// Loads the mappings of the pages `p`'s program touched in its earlier runs (before its
// thread resumes after execve; `p`'s space must exist). Stops at the first refusal (no
// memory, a full mapping cache): the rest is left to faults.
void preload_history(Process& p);

}  // namespace unixemu
