// Names of fault kinds and accesses for reports (fault.h).
#include "fault.h"

namespace ck {

StrView fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::Mapping:
      return "mapping";
    case FaultKind::Protection:
      return "protection";
    case FaultKind::BusError:
      return "bus error";
    case FaultKind::AddressError:
      return "address error";
    case FaultKind::IllegalInstruction:
      return "illegal instruction";
    case FaultKind::Privilege:
      return "privilege violation";
    case FaultKind::ZeroDivide:
      return "zero divide";
    case FaultKind::Check:
      return "check";
    case FaultKind::Overflow:
      return "overflow";
    case FaultKind::Trace:
      return "trace";
    case FaultKind::FloatingPoint:
      return "floating point";
    case FaultKind::FormatError:
      return "format error";
    case FaultKind::Unknown:
      break;
  }
  return "unknown";
}

StrView access_name(Access access) {
  switch (access) {
    case Access::Read:
      return "read";
    case Access::Write:
      return "write";
    case Access::Execute:
      return "execute";
  }
  return "?";
}

}  // namespace ck
