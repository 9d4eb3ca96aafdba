// What a user thread did to enter the kernel, in portable terms (paper §2.1, §2.3):
// the machine layer decodes its exception frames into these records, the kernel
// handles or forwards them.
#pragma once

#include "lib/str.h"
#include "lib/types.h"

namespace ck {

enum class FaultKind : u8 {
  Mapping,             // no translation for the address
  Protection,          // a translation exists but forbids the access
  BusError,            // the physical access itself failed
  AddressError,        // misaligned instruction fetch or branch
  IllegalInstruction,  // including unimplemented line-A opcodes
  Privilege,           // a supervisor-only instruction in user mode
  ZeroDivide,
  Check,     // CHK, CHK2 out of bounds
  Overflow,  // TRAPV, TRAPcc
  Trace,
  FloatingPoint,  // FP exceptions and unimplemented FP instructions/data types
  FormatError,
  Unknown,
};

enum class Access : u8 { Read, Write, Execute };

struct Fault {
  FaultKind kind = FaultKind::Unknown;
  u16 vector = 0;    // the machine's exception number, for reports
  VirtAddr pc;       // of the instruction to restart, or the next one for traps
  VirtAddr address;  // faulting data/instruction address (access faults), else 0
  Access access = Access::Read;
  u8 size = 0;  // bytes in the faulting access (access faults)
};

// Call: a call on the fast path (arch::CallHook) changed the context the thread runs
// or whether it runs at all; its registers at the call are not needed.
enum class EntryKind : u8 { Interrupt, Trap, Fault, Call };

// One entry into the kernel from user mode.
struct UserEntry {
  EntryKind kind = EntryKind::Fault;
  u8 trap = 0;  // the trap number, for EntryKind::Trap
  Fault fault;  // for EntryKind::Fault
};

StrView fault_kind_name(FaultKind kind);
// What a ck_exception says of a fault: its kind (CK_EXC_*), and its access word
// (CK_ACCESS_* | bytes << 8).
u32 exception_kind(FaultKind kind);
u32 exception_access(const Fault& f);
StrView access_name(Access access);

}  // namespace ck
