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
  entry.kind = EntryKind::Fault;
  if (vector == 2 && frame[6] >> 4 == 7) {
    // An access error (every page fault): only its SSW and fault address, decoded in
    // place as decode_frame and decode_access_status would.
    constexpr u8 kSizeBytes[] = {4, 1, 2, 16};
    const u16 ssw = load_be16(frame + 12);
    const u16 tm = ssw & 0x7;
    entry.fault = Fault{.kind = (ssw & 0x0400) != 0 ? FaultKind::Mapping : FaultKind::BusError,
                        .vector = vector,
                        .pc = VirtAddr(load_be32(frame + 2)),
                        .address = VirtAddr(load_be32(frame + 20)),
                        .access = tm == 2 || tm == 6 || tm == 4 ? Access::Execute
                                  : (ssw & 0x0100) == 0         ? Access::Write
                                                                : Access::Read,
                        .size = kSizeBytes[(ssw >> 5) & 3]};
    return entry;
  }
  const ExceptionFrame f = decode_frame(frame);
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

bool write_fault_on_page(const u8* frame, u32 page, u32 page_bytes) {
  constexpr u16 kAccessErrorFormat7 = 0x7000 | 2 << 2;  // format $7, vector 2's offset
  if (load_be16(frame + 6) != kAccessErrorFormat7) return false;
  const u16 ssw = load_be16(frame + 12);
  const u16 tm = ssw & 0x7;
  const bool read = (ssw & 0x0100) != 0;
  const bool fetch = tm == 2 || tm == 4 || tm == 6;
  return !read && !fetch && (load_be32(frame + 20) & ~(page_bytes - 1)) == page;
}

}  // namespace ck::m68k
