// Exceptions taken in supervisor mode, and the fatal paths. An interrupt (while the
// kernel idles) is handled in place; anything else is a kernel bug: print the report
// (fatal_report.h) and end the run. User-mode exceptions go to user_mode.cpp instead.
// A kernel stack overflow (a stack-limit check's TRAPCS, entry.S) is reported from the
// emergency stack. The fatal paths use only the way-down state (way_down.h) and the
// stack they run on, so that an overflow cannot have destroyed the way down.
#include "arch/arch.h"
#include "arch/m68k/boot_stack.h"
#include "arch/m68k/fatal_report.h"
#include "arch/m68k/interrupts.h"
#include "arch/m68k/kernel_stack.h"
#include "arch/m68k/masked_stretch.h"
#include "arch/m68k/user_entry.h"
#include "arch/m68k/way_down.h"

extern "C" {
void supervisor_exception(ck::m68k::SavedRegisters* regs);
[[noreturn]] void supervisor_trapcc(ck::m68k::SavedRegisters* regs, const ck::u8* frame);
extern char __kernel_stack_guard[], __boot_stack_bottom[], __boot_stack_top[];  // linker/virt.ld
extern char __emergency_stack_bottom[], __emergency_stack_top[];
}

namespace ck::arch {

namespace {

constexpr usize kStackDumpBytes = 64;

u32 address_of(const void* p) { return static_cast<u32>(reinterpret_cast<usize>(p)); }

bool within(u32 address, const char* bottom, const char* top) {
  return address >= address_of(bottom) && address < address_of(top);
}

// A window of the stack at `sp`, when it is in one of the kernel's stacks (reading
// elsewhere could fault, or read what an overflow left).
m68k::StackSnapshot snapshot_stack(u32 sp) {
  const char* top = nullptr;
  if (within(sp, __boot_stack_bottom, __boot_stack_top)) top = __boot_stack_top;
  if (within(sp, __emergency_stack_bottom, __emergency_stack_top)) top = __emergency_stack_top;
  if (top == nullptr) return m68k::StackSnapshot{sp, nullptr, 0};
  const u32 available = address_of(top) - sp;
  return m68k::StackSnapshot{sp, reinterpret_cast<const u8*>(static_cast<usize>(sp)),
                             available < kStackDumpBytes ? available : kStackDumpBytes};
}

m68k::KernelRegions kernel_regions() {
  return m68k::KernelRegions{.guard_start = address_of(__kernel_stack_guard),
                             .guard_end = address_of(__boot_stack_bottom)};
}

// Every fatal report ends with the stack's deepest use, then the failure verdict.
[[noreturn]] void finish_fatal(Sink& out) {
  format(out, "  ");
  m68k::write_stack_high_water(out);
  fatal_stop();
}

}  // namespace

void panic_stop(StrView message) {
  if (!m68k::enter_fatal()) fatal_stop();
  m68k::SavedRegisters regs{};
  u32 sp = 0;
  asm volatile("movem.l %%d0-%%d7/%%a0-%%a6, (%0)" : : "a"(&regs.d[0]) : "memory");
  asm volatile("move.l %%usp, %0" : "=a"(regs.usp));
  asm volatile("move.l %%sp, %0" : "=r"(sp));
  m68k::FatalConsole out;
  format(out, "\n*** PANIC: {}\n", message);
  m68k::write_registers(out, regs, sp);
  m68k::write_stack(out, snapshot_stack(sp));
  finish_fatal(out);
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
  if (!m68k::enter_fatal()) arch::fatal_stop();
  const u32 frame_address = arch::address_of(frame);
  const u32 interrupted_sp = f.from_user() ? regs->usp : frame_address + f.size_bytes;
  m68k::FatalConsole out;
  m68k::write_exception_report(out, *regs, frame, frame_address, arch::snapshot_stack(interrupted_sp),
                               arch::kernel_regions());
  arch::finish_fatal(out);
}

// A supervisor TRAPcc (entry.S), on the emergency stack: `frame` is the format $2 frame
// on the boot stack. One of the kernel's stack-limit checks unless its instructions say
// otherwise.
void supervisor_trapcc(ck::m68k::SavedRegisters* regs, const ck::u8* frame) {
  using namespace ck;
  if (!m68k::enter_fatal()) arch::fatal_stop();
  const m68k::ExceptionFrame f = m68k::decode_frame(frame);
  const u32 frame_address = arch::address_of(frame);
  const u32 interrupted_sp = frame_address + f.size_bytes;
  m68k::StackCheck check;
  // The check's 8 bytes end with the TRAPCS at the frame's instruction address; read
  // them only where the kernel's code is (page 0 is not readable: mmu.cpp).
  if (f.address >= arch::kPageBytes + 6 && f.address + 2 <= arch::address_of(__kernel_stack_guard))
    check = m68k::decode_stack_check(reinterpret_cast<const u8*>(static_cast<usize>(f.address - 6)));
  m68k::FatalConsole out;
  if (check.is_check && interrupted_sp < check.needed) {
    format(out, "\n*** FATAL: kernel stack overflow at PC {:#010x}: SP {:#010x}, the function needs SP >= {:#010x}\n",
           f.address, interrupted_sp, check.needed);
    format(out, "  stack {:#010x}-{:#010x}; report from the emergency stack\n", arch::address_of(__boot_stack_bottom),
           arch::address_of(__boot_stack_top));
    m68k::write_registers(out, *regs, interrupted_sp);
    m68k::write_stack(out, arch::snapshot_stack(interrupted_sp));
    format(out, "  ");
    m68k::write_emergency_stack_high_water(out);
  } else {
    m68k::write_exception_report(out, *regs, frame, frame_address, arch::snapshot_stack(interrupted_sp),
                                 arch::kernel_regions());
  }
  arch::finish_fatal(out);
}
