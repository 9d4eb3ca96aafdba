// The arch interface (arch/arch.h) for QEMU's virt machine with a 68040: boot from
// start.S, bootinfo, console, power control, image layout.
#include "arch/arch.h"
#include "arch/m68k/boot_stack.h"
#include "arch/m68k/bootinfo.h"
#include "arch/m68k/goldfish_tty.h"
#include "arch/m68k/way_down.h"
#include "boot.h"
#include "log.h"

extern "C" {
// From linker/virt.ld.
extern char __vectors[], __text_end[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern char __boot_stack_bottom[], __boot_stack_top[], _end[];
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
extern const ck::u8 __prom_table_start[], __prom_table_end[];  // linker/virt.ld

[[noreturn]] void arch_boot(const ck::u8* bootinfo);
}

namespace ck::arch {

namespace {

// QEMU builds the list in a buffer of (command line + 1024) bytes; the command line
// is capped by BootInfo, so this bounds a well-formed list with room to spare.
constexpr usize kBootInfoLimit = 4096;

m68k::BootInfo g_bootinfo;
m68k::GoldfishTty g_console;
Platform g_platform;

PhysAddr address_of(const void* p) { return PhysAddr(static_cast<u32>(reinterpret_cast<usize>(p))); }

StrView cpu_name(u32 cpu_mask) {
  switch (cpu_mask) {
    case 1u << 0:
      return "68020";
    case 1u << 1:
      return "68030";
    case m68k::kCpu68040:
      return "68040";
    case 1u << 3:
      return "68060";
    default:
      return "unknown";
  }
}

void describe_device(Sink& out, StrView name, const m68k::Device& device, StrView note) {
  if (!device.present) {
    format(out, "  {:<8}absent\n", name);
    return;
  }
  format(out, "  {:<8}{:#010x}  irq {:<3} {}\n", name, device.base, device.irq, note);
}

void run_global_constructors() {
  for (auto* ctor = __init_array_start; ctor != __init_array_end; ++ctor) (*ctor)();
}

}  // namespace

const Platform& platform() { return g_platform; }

ImageLayout image_layout() {
  return ImageLayout{
      .vectors = address_of(__vectors),
      .text_start = address_of(__vectors),
      .text_end = address_of(__text_end),
      .data_start = address_of(__data_start),
      .data_end = address_of(__data_end),
      .bss_start = address_of(__bss_start),
      .bss_end = address_of(__bss_end),
      .boot_stack_bottom = address_of(__boot_stack_bottom),
      .boot_stack_top = address_of(__boot_stack_top),
      .end = address_of(_end),
  };
}

void describe_machine(Sink& out) {
  const m68k::BootInfo& bi = g_bootinfo;
  format(out, "  cpu     {} (fpu {}, mmu {}) on {} machine {}, QEMU {}.{}.{}\n", cpu_name(bi.cpu), cpu_name(bi.fpu),
         cpu_name(bi.mmu), bi.machine == m68k::kMachineVirt ? "virt" : "unknown", bi.machine, bi.qemu_version >> 24,
         (bi.qemu_version >> 16) & 0xff, (bi.qemu_version >> 8) & 0xff);
  describe_device(out, "pic", bi.pic, "goldfish PIC x6, CPU levels 1-6");
  describe_device(out, "rtc", bi.rtc, "goldfish RTC/timer x2");
  describe_device(out, "tty", bi.tty, "goldfish TTY (console)");
  describe_device(out, "ctrl", bi.ctrl, "virt-ctrl (halt, reset, panic)");
  describe_device(out, "virtio", bi.virtio, "virtio-mmio x128, 0x200 apart");
}

Sink& console() { return g_console; }

PromBytes prom_table() {
  return PromBytes{.bytes = __prom_table_start, .size = static_cast<u32>(__prom_table_end - __prom_table_start)};
}

// The controller comes from the way-down state (way_down.h): a fatal path may follow a
// stack overflow.
void power_off() {
  const StackUsage stack = kernel_stack_usage();
  klog::info("kernel stack: high-water {} of {} bytes", stack.high_water, stack.size);
  m68k::way_down_ctrl().halt();
}

void fatal_stop() { m68k::way_down_ctrl().panic(); }

void reboot() { m68k::way_down_ctrl().reset(); }

}  // namespace ck::arch

const ck::m68k::BootInfo& ck::m68k::boot_info() { return ck::arch::g_bootinfo; }
ck::m68k::GoldfishTty& ck::m68k::console_device() { return ck::arch::g_console; }

// Called by start.S with the bootinfo address; the machine is in a known state and
// .data/.bss are set up, but nothing else is.
void arch_boot(const ck::u8* bootinfo) {
  using namespace ck;
  // Before the stack grows: its unused part holds the pattern its high-water mark is
  // read from.
  m68k::fill_boot_stack();
  // Constructors first: nothing below may be undone by a late one.
  arch::run_global_constructors();
  const m68k::BootInfoStatus status = m68k::parse_bootinfo(bootinfo, arch::kBootInfoLimit, &arch::g_bootinfo);
  const m68k::BootInfo& bi = arch::g_bootinfo;

  // Without a console there is no way to say anything: the ctrl device (if found)
  // ends the run with a failure, otherwise the CPU stops.
  if (bi.tty.present) arch::g_console.attach(bi.tty.base);
  m68k::init_way_down(bi.tty.present ? bi.tty.base : PhysAddr(0), bi.ctrl.present ? bi.ctrl.base : PhysAddr(0));
  if (status != m68k::BootInfoStatus::Ok) {
    format(arch::g_console, "\n*** FATAL: bootinfo at {:p} unusable: {}\n", bootinfo, m68k::describe(status));
    arch::fatal_stop();
  }
  if (!bi.ctrl.present) format(arch::g_console, "\n*** FATAL: bootinfo names no virt-ctrl device\n");
  if (!bi.tty.present || !bi.ctrl.present) arch::fatal_stop();

  for (usize i = 0; i < bi.memory_count; ++i) arch::g_platform.memory[i] = bi.memory[i];
  arch::g_platform.memory_count = bi.memory_count;
  arch::g_platform.command_line = StrView(bi.command_line);

  kernel_boot(bi.command_line_truncated);
}
