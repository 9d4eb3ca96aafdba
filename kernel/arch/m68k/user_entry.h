// Decoding a 68040 exception frame taken from user mode into the portable entry record
// (fault.h). Pure; host-tested (tests/host/user_entry_test.cpp).
#pragma once

#include "fault.h"
#include "lib/types.h"

namespace ck::m68k {

// Autovectored interrupt levels 1-7 arrive as vectors 25-31; TRAP #n as 32 + n.
inline constexpr u16 kAutovectorBase = 24;
inline constexpr u16 kTrapBase = 32;

// `frame` points at the frame's first byte (SR). An access error through the ATC is
// reported as a Mapping fault: whether a translation exists (making it a Protection
// fault) is for the caller, who has the tables, to say.
UserEntry decode_user_entry(const u8* frame);

}  // namespace ck::m68k
