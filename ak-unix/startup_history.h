// What a program touched as it started, kept from one run to the next (issue 18 item 11):
// an exec'd program's first faults are the same pages each time it runs (its start-up
// code, glibc's initialisation, their data), and so are a forked child's; each fault is
// a forward, the handler and CK_LOAD_MAPPING_RESUME. The pages its earlier starts
// faulted on are loaded as it starts, one CK_LOAD_MAPPING each (as an operating system's
// prefetch of an application's start-up pages; Linux's fault-around is the same idea for
// the page cache). Only mappings are loaded, with the rights a fault would give them
// (resident_frame and writable_now decide; a page a child wrote is copied at once, as its
// write would have copied it): what the program sees is the same. A page it does not
// touch this time costs its load and its unload (and after a fork, a copy it did not
// need).
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

// How a process starts: an execve of its program, or a fork of a process running it (a
// forked child's first faults, copy-on-write copies among them, are also much the same
// each time: the call's return, the code it goes on with, its stack and data).
enum class Start : uint8_t { Exec, Fork };

// Marks `p` (its thread group) as starting program `node` from now on (`how`): its first
// faults are added to that start's history.
void start_history(Process& p, uint32_t node, Start how);

// A fault of `p` at page `va` (`write`, `execute`: what the access was; a write to a page
// mapped read-only is one too, the copy-on-write after a fork): added to its start's
// history while it is in its first faults.
void note_fault(Process& p, uint32_t va, bool write, bool execute);

// Loads the mappings of the pages `p`'s program touched in its earlier starts of the same
// kind (after execve, before its thread resumes; after a fork, as soon as the child's
// space is loaded). A page it wrote is made writable at once (after a fork: its copy made
// now, as its write would have made it). Stops at the first refusal (no memory, a full
// mapping cache, a mapping the thread loaded meanwhile): the rest is left to faults.
void preload_history(Process& p);

}  // namespace unixemu
