// Two longwords changed at once (the 68040's CAS2): an application kernel's handler can
// be written back between any two of its instructions (paper §2.1, §4.2); what must
// change together (a queue's tail and the count of what a call queued) changes in one.
#pragma once

#include <stdint.h>

namespace ak {

// If *a == a_old and *b == b_old: *a = a_new and *b = b_new, in one instruction, and true;
// else nothing and false.
bool compare_and_set_two(volatile uint32_t* a, uint32_t a_old, uint32_t a_new, volatile uint32_t* b, uint32_t b_old,
                         uint32_t b_new);

}  // namespace ak
