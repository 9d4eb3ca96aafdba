// Invariant checks on request (issue 15, the fuzz suite; paper §3): the SRM, as the one
// kernel allowed CK_QUERY_DIGEST, answers the check mailboxes (check_mailbox.h) of the
// kernels it runs: a fuzz kernel asks after each batch of hostile calls, a victim shows
// its progress and is told to stop once no fuzz kernel runs.
#pragma once

#include <stdint.h>

namespace srm {

// Answers every pending request; called on each wake of the SRM's loop.
void answer_checks();
// Walks done and failed so far.
uint32_t checks_answered();
uint32_t checks_failed();

}  // namespace srm
