// Names of fault kinds and accesses for reports (fault.h).
#include "fault.h"

#include "ck/abi.h"

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

u32 exception_kind(FaultKind kind) {
  switch (kind) {
    case FaultKind::Mapping:
      return CK_EXC_MAPPING;
    case FaultKind::Protection:
      return CK_EXC_PROTECTION;
    case FaultKind::BusError:
      return CK_EXC_BUS_ERROR;
    case FaultKind::AddressError:
      return CK_EXC_ADDRESS_ERROR;
    case FaultKind::IllegalInstruction:
      return CK_EXC_ILLEGAL;
    case FaultKind::Privilege:
      return CK_EXC_PRIVILEGE;
    case FaultKind::ZeroDivide:
      return CK_EXC_ZERO_DIVIDE;
    case FaultKind::Check:
      return CK_EXC_CHECK;
    case FaultKind::Overflow:
      return CK_EXC_OVERFLOW;
    case FaultKind::Trace:
      return CK_EXC_TRACE;
    case FaultKind::FloatingPoint:
      return CK_EXC_FLOATING_POINT;
    case FaultKind::FormatError:
      return CK_EXC_FORMAT;
    case FaultKind::Unknown:
      break;
  }
  return CK_EXC_UNKNOWN;
}

namespace {
u32 access_code(Access a) {
  switch (a) {
    case Access::Read:
      return CK_ACCESS_READ;
    case Access::Write:
      return CK_ACCESS_WRITE;
    case Access::Execute:
      return CK_ACCESS_EXECUTE;
  }
  return CK_ACCESS_READ;
}

}  // namespace

u32 exception_access(const Fault& f) { return access_code(f.access) | u32{f.size} << 8; }

}  // namespace ck
