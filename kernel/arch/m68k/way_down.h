// The way down: what the fatal paths need to print their report and stop the machine
// (DESIGN.md §1: the virt-ctrl verdicts). It lives above the boot stack (linker/virt.ld,
// section .way_down), where a kernel path running off the bottom of the stack cannot
// reach it, and is written once at boot; the fatal paths use nothing else below the
// stack top but the stack they run on (the emergency stack for a stack overflow).
#pragma once

#include "arch/m68k/virt_ctrl.h"
#include "lib/format.h"

namespace ck::m68k {

// Called once at boot with the devices bootinfo named (PhysAddr(0): absent).
void init_way_down(PhysAddr console, PhysAddr ctrl);

// The console as the fatal paths write it: polled, one register, no state of its own
// (construct one where it is needed).
class FatalConsole final : public Sink {
 public:
  void put(char c) override;
};

// The machine's controller, from the way-down state.
VirtCtrl way_down_ctrl();

// A fatal path begins: false when one already did (a fault while reporting), in which
// case the caller stops without reporting.
bool enter_fatal();

}  // namespace ck::m68k
