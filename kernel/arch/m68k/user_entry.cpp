// 68040 user-mode exception frames to portable entry records (user_entry.h).
#include "arch/m68k/user_entry.h"

#include "arch/m68k/exception_frame.h"
#include "lib/endian.h"

namespace ck::m68k {

namespace {

FaultKind kind_of_vector(u16 vector) {
  switch (vector) {
    case 2:
      return FaultKind::Mapping;  // refined below and by the caller
    case 3:
      return FaultKind::AddressError;
    case 4:
    case 10:  // line 1010
      return FaultKind::IllegalInstruction;
    case 5:
      return FaultKind::ZeroDivide;
    case 6:
      return FaultKind::Check;
    case 7:
      return FaultKind::Overflow;
    case 8:
      return FaultKind::Privilege;
    case 9:
      return FaultKind::Trace;
    case 11:  // line 1111: an FP instruction the 68040 does not implement
    case 13:  // coprocessor protocol violation
      return FaultKind::FloatingPoint;
    case 14:
      return FaultKind::FormatError;
    default:
      break;
  }
  if (vector >= 48 && vector < 56) return FaultKind::FloatingPoint;
  return FaultKind::Unknown;
}

}  // namespace

UserEntry decode_user_entry(const u8* frame) {
  // Interrupts and traps (the frequent entries) need only the vector.
  const u16 vector = static_cast<u16>((load_be16(frame + 6) & 0x0fff) >> 2);
  UserEntry entry;
  if (vector > kAutovectorBase && vector < kTrapBase) {
    entry.kind = EntryKind::Interrupt;
    return entry;
  }
  if (vector >= kTrapBase && vector < kTrapBase + 16) {
    entry.kind = EntryKind::Trap;
    entry.trap = static_cast<u8>(vector - kTrapBase);
    return entry;
  }
  const ExceptionFrame f = decode_frame(frame);
  entry.kind = EntryKind::Fault;
  Fault& fault = entry.fault;
  fault.kind = kind_of_vector(f.vector);
  fault.vector = f.vector;
  fault.pc = VirtAddr(f.pc);
  if (f.has_address) fault.address = VirtAddr(f.address);
  if (f.is_access_error) {
    const AccessStatus s = decode_access_status(f.ssw);
    if (!s.atc_fault) fault.kind = FaultKind::BusError;
    fault.address = VirtAddr(f.fault_address);
    fault.access = s.instruction ? Access::Execute : s.write ? Access::Write : Access::Read;
    fault.size = static_cast<u8>(s.size_bytes());
  }
  return entry;
}

}  // namespace ck::m68k
