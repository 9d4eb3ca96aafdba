// QEMU's virt system controller (see virt_ctrl.h).
#include "arch/m68k/virt_ctrl.h"

namespace ck::m68k {

void VirtCtrl::command(Command c) const {
  if (regs_.present()) regs_.write(kCommandRegister, c);
  // QEMU acts on the request asynchronously; without a controller, stop here for good.
  for (;;) asm volatile("stop #0x2700");
}

}  // namespace ck::m68k
