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

// Whether `frame` is a format $7 access error of a data write (not an instruction
// fetch, not a read) to an address in the page at `page` (page-aligned). What
// decode_user_entry would say of it, read straight from the SSW: every
// CK_LOAD_MAPPING_RESUME asks it.
bool write_fault_on_page(const u8* frame, u32 page, u32 page_bytes);

}  // namespace ck::m68k
