// Hostile Cache Kernel calls (issue 15; paper §2, §4.3): every operation number, valid and
// invalid, with identifiers valid, stale, forged, of the wrong type and 0; pointers to
// kernel memory, the table window, the I/O page, unaligned, null, wrapping past 4 GiB,
// straddling mapped and unmapped pages, read-only; huge and negative counts; mappings
// outside the kernel's page groups; hostile thread states; locks beyond quota and
// priorities beyond the maximum. Each generated call knows whether the Cache Kernel must
// refuse it; one it accepts anyway is a wrong acceptance.
#pragma once

#include <stdint.h>

#include "ck/abi.h"
#include "rng.h"

namespace fuzz {

struct Call {
  uint32_t op, d1, d2, d3, d4, a0;
  bool must_fail;  // the Cache Kernel must refuse it (a status other than CK_OK)
  int32_t status;
  uint32_t value;
};

struct CallCounts {
  uint32_t calls, accepted, refused, wrong_acceptances, bad_statuses;
  uint32_t by_op[CK_OP_COUNT + 1];
};

// Makes one hostile call, judges it and keeps it in the history; from call number
// `trace_from` on (0: never), each call is printed before it is made.
void hostile_call(Rng& rng, uint32_t trace_from);
const CallCounts& call_counts();
// The last calls, oldest first, for a reproducer.
void print_history(uint32_t calls);

}  // namespace fuzz
