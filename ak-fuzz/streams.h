// Hostile instruction streams (issue 15; paper §2.1, §2.3): threads of the hostile kernel
// in stream spaces of their own run generated code (privileged instructions, odd-address
// jumps, odd, unmapped or kernel-pointing stack pointers followed by traps, CHK, TRAPV,
// divide by zero, line A and line F, FPU exceptions enabled, MOVES, CAS across a page
// boundary, exception storms; never BKPT, which crashes QEMU 7.2 from user mode) with
// hostile states (supervisor, trace and interrupt-mask bits in SR, odd PC and USP,
// garbage FPU state). Their faults and traps come to the kernel's exception handler,
// which resumes them changed or unchanged, maps a page for them or unloads them.
#pragma once

#include <stdint.h>

#include "ck/abi.h"
#include "rng.h"

namespace fuzz {

struct StreamCounts {
  uint32_t threads_loaded, exceptions, unloaded_by_handler, resumes, mapped, by_kind[CK_EXC_UNKNOWN + 1];
  uint32_t own_faults;  // exceptions of the kernel's own thread: must stay 0
};

// Sets up the code frames' window and the handler (once).
void init_streams(uint64_t seed);
// Writes a new random instruction stream over one code page.
void regenerate_code(Rng& rng);
// Maps a stream space's code and stack pages (after it was loaded).
void furnish_space(ck_id space, Rng& rng);
// A hostile thread state for stream slot `slot` (its exception stack is the slot's, or
// now and then a bogus one).
void hostile_state(Rng& rng, uint32_t slot, ck_thread_state* state);
// Keeps streams running: loads a space and threads where slots are free.
void keep_streams_running(Rng& rng);
// Slots whose thread has left the cache are freed (stale identifiers).
void reap_threads();
const StreamCounts& stream_counts();

}  // namespace fuzz
