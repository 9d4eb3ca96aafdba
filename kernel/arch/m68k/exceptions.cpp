// Exceptions taken in supervisor mode, and the fatal paths. An interrupt (while the
// kernel idles) is handled in place; anything else is a kernel bug: print the report
// (fatal_report.h) and end the run. User-mode exceptions go to user_mode.cpp instead.
#include "arch/arch.h"
#include "arch/m68k/fatal_report.h"
#include "arch/m68k/interrupts.h"
#include "arch/m68k/masked_stretch.h"
#include "arch/m68k/user_entry.h"

extern "C" void supervisor_exception(ck::m68k::SavedRegisters* regs);

namespace ck::arch {

namespace {

constexpr usize kStackDumpBytes = 64;

bool g_in_fatal = false;

// A window of the stack at `sp`, clipped to RAM so that dumping it cannot fault.
m68k::StackSnapshot snapshot_stack(u32 sp) {
  const Platform& p = platform();
  for (usize i = 0; i < p.memory_count; ++i) {
    const PhysRange& r = p.memory[i];
    if (sp >= r.base.value() && sp < r.end().value()) {
      const u32 available = r.end().value() - sp;
      return m68k::StackSnapshot{sp, reinterpret_cast<const u8*>(static_cast<usize>(sp)),
                                 available < kStackDumpBytes ? available : kStackDumpBytes};
    }
  }
  return m68k::StackSnapshot{sp, nullptr, 0};
}

// A fault while reporting a fault would loop; the second one just stops.
void enter_fatal() {
  if (g_in_fatal) fatal_stop();
  g_in_fatal = true;
}

}  // namespace

void panic_stop(StrView message) {
  enter_fatal();
  m68k::SavedRegisters regs{};
  u32 sp = 0;
  asm volatile("movem.l %%d0-%%d7/%%a0-%%a6, (%0)" : : "a"(&regs.d[0]) : "memory");
  asm volatile("move.l %%usp, %0" : "=a"(regs.usp));
  asm volatile("move.l %%sp, %0" : "=r"(sp));
  format(console(), "\n*** PANIC: {}\n", message);
  m68k::write_registers(console(), regs, sp);
  m68k::write_stack(console(), snapshot_stack(sp));
  fatal_stop();
}

void execute_illegal_instruction() { asm volatile("illegal"); }

}  // namespace ck::arch

void supervisor_exception(ck::m68k::SavedRegisters* regs) {
  using namespace ck;
  const u8* frame = reinterpret_cast<const u8*>(regs + 1);
  const m68k::ExceptionFrame f = m68k::decode_frame(frame);
  if (f.vector > m68k::kAutovectorBase && f.vector < m68k::kTrapBase) {
    arch::masked::begin(arch::MaskedStretches::kIdleWakeUp);
    m68k::handle_interrupt(f.vector - m68k::kAutovectorBase);
    return;
  }
  arch::enter_fatal();
  const u32 frame_address = static_cast<u32>(reinterpret_cast<usize>(frame));
  const u32 interrupted_sp = f.from_user() ? regs->usp : frame_address + f.size_bytes;
  m68k::write_exception_report(arch::console(), *regs, frame, frame_address, arch::snapshot_stack(interrupted_sp));
  arch::fatal_stop();
}
