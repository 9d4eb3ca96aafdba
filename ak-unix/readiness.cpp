// What an open file is ready for (readiness.h).
#include "readiness.h"

#include "console.h"
#include "pipe.h"

namespace unixemu {

uint32_t readiness(const OpenFile& f) {
  switch (f.kind) {
    case FileKind::PipeRead: {
      const uint32_t pipe = f.node;
      uint32_t mask = pipes().bytes(pipe) != 0 ? kPOLLIN | kPOLLRDNORM : 0;
      if (pipes().writers(pipe) == 0) mask |= kPOLLHUP;
      return mask;
    }
    case FileKind::PipeWrite: {
      const uint32_t pipe = f.node;
      uint32_t mask = pipes().room(pipe) >= Pipes::kAtomicBytes ? kPOLLOUT : 0;
      if (pipes().readers(pipe) == 0) mask |= kPOLLERR;
      return mask;
    }
    case FileKind::Console:
      return (console_readable() ? kPOLLIN | kPOLLRDNORM : 0) | kPOLLOUT;
    case FileKind::ConsoleStream:
      return kPOLLOUT;
    case FileKind::Free:
    case FileKind::Node:
    case FileKind::Null:
    case FileKind::Zero:
      break;
  }
  return kPOLLIN | kPOLLOUT | kPOLLRDNORM;
}

}  // namespace unixemu
