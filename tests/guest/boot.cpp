// Guest test: the boot path on the real (emulated) machine. The harness boots this
// image with `-m 48` and `-append "log=debug ktest.token=c0ffee ktest.expect_ram_mib=48"`.
#include "boot.h"
#include "arch/arch.h"
#include "arch/m68k/bootinfo.h"
#include "ktest.h"
#include "log.h"

namespace {

using namespace ck;
using ktest::Context;

void bootinfo_identifies_virt_68040(Context& t) {
  const m68k::BootInfo& bi = m68k::boot_info();
  t.check_eq(bi.machine, m68k::kMachineVirt, "BI_MACHTYPE");
  t.check_eq(bi.cpu, m68k::kCpu68040, "BI_CPUTYPE");
  t.check_eq(bi.fpu, m68k::kFpu68040, "BI_FPUTYPE");
  t.check_eq(bi.mmu, m68k::kMmu68040, "BI_MMUTYPE");
  t.check(bi.qemu_version >> 24 >= 7, "QEMU version record present (7.x or later)");
}

void ram_size_is_what_qemu_was_given(Context& t) {
  StrView expected_text;
  u32 expected_mib = 0;
  t.check(command_line().lookup("ktest.expect_ram_mib", &expected_text), "harness passed ktest.expect_ram_mib");
  t.check(parse_u32(expected_text, &expected_mib), "ktest.expect_ram_mib is a number");
  t.check_eq(arch::platform().memory_count, usize{1}, "memory chunks");
  t.check_eq(arch::platform().memory[0].base.value(), 0u, "RAM base");
  t.check_eq(arch::platform().ram_bytes(), expected_mib * MiB, "RAM bytes");
}

void devices_come_from_bootinfo(Context& t) {
  const m68k::BootInfo& bi = m68k::boot_info();
  t.check(bi.pic.present && bi.rtc.present && bi.tty.present && bi.ctrl.present && bi.virtio.present,
          "all five virt device records present");
  // QEMU numbers interrupts 8 + (pic - 1) * 32 + (line - 1): first PIC at CPU level 1,
  // the RTC on PIC 6 line 1, the TTY on PIC 1 line 32, virtio from PIC 2 line 1.
  t.check_eq(bi.pic.irq, 1u, "first PIC's CPU level");
  t.check_eq(bi.rtc.irq, 8u + 5 * 32, "RTC interrupt");
  t.check_eq(bi.tty.irq, 8u + 31, "TTY interrupt");
  t.check_eq(bi.virtio.irq, 8u + 32, "first virtio interrupt");
  t.check(bi.tty.base.value() >= 0xff000000u, "devices live in the top 16 MiB");
}

void command_line_reaches_the_kernel(Context& t) {
  StrView token;
  t.check(command_line().lookup("ktest.token", &token), "ktest.token present");
  t.check(token == "c0ffee", "ktest.token value");
  t.check(!m68k::boot_info().command_line_truncated, "not truncated");
}

void log_level_comes_from_the_command_line(Context& t) {
  t.check_eq(static_cast<u32>(klog::level()), static_cast<u32>(LogLevel::Debug), "log=debug applied");
}

void image_layout_is_ordered(Context& t) {
  const arch::ImageLayout img = arch::image_layout();
  // Page 0 holds only the reset SSP and PC and code: it is invalid for supervisor data.
  t.check_eq(img.vectors.value(), arch::kPageBytes, "vector table at the start of page 1");
  t.check(img.text_start < img.text_end && img.text_end <= img.data_start && img.data_end <= img.bss_start,
          "text, data, bss in order");
  // Above the stack only the emergency stack and the way-down state (linker/virt.ld).
  t.check(img.bss_start < img.boot_stack_bottom && img.boot_stack_top < img.bss_end &&
              img.bss_end - img.boot_stack_top <= 4096 && img.bss_end == img.end,
          "boot stack at the end of bss, image ends there");
  u32 vbr = 0;
  asm volatile("movec %%vbr, %0" : "=r"(vbr));
  t.check_eq(vbr, img.vectors.value(), "VBR points at the vector table");
  const u32* vectors = reinterpret_cast<const u32*>(static_cast<usize>(img.vectors.value()));
  t.check_eq(vectors[0], img.boot_stack_top.value(), "reset SSP vector");
}

// Placed in .bss and .data by the compiler; volatile so the checks read memory.
volatile u32 g_zeroed[64];
volatile u32 g_initialized = 0x5a17c0de;

void bss_is_cleared_and_data_is_loaded(Context& t) {
  bool all_zero = true;
  for (const volatile u32& word : g_zeroed) all_zero = all_zero && word == 0;
  t.check(all_zero, ".bss cleared by start.S");
  t.check_eq(static_cast<u32>(g_initialized), 0x5a17c0deu, ".data initial value");
}

// A global whose constructor must run before kernel_main (the .init_array walk).
struct ConstructedAtBoot {
  ConstructedAtBoot() : magic(read_magic()) {}
  static u32 read_magic() {
    volatile u32 m = 0xb007;
    return m;
  }
  u32 magic;
};
ConstructedAtBoot g_constructed;

void global_constructors_ran(Context& t) { t.check_eq(g_constructed.magic, 0xb007u, "constructor ran"); }

void running_in_supervisor_mode_with_interrupts_masked(Context& t) {
  u16 sr = 0;
  asm volatile("move.w %%sr, %0" : "=d"(sr));
  t.check((sr & 0x2000) != 0, "S bit set");
  t.check_eq(static_cast<u32>((sr >> 8) & 7), 7u, "interrupt mask 7");
  u32 sp = 0;
  asm volatile("move.l %%sp, %0" : "=r"(sp));
  const arch::ImageLayout img = arch::image_layout();
  t.check(sp > img.boot_stack_bottom.value() && sp < img.boot_stack_top.value(), "SP on the boot stack");
}

// The boot stack's unused part holds a pattern from boot (arch_boot): its deepest use is
// measured, and booting comes nowhere near the stack-limit checks' limit.
void kernel_stack_high_water_is_measured(Context& t) {
  constexpr u32 kLimitReserve = 1536;  // linker/virt.ld: __kernel_stack_limit
  const arch::StackUsage stack = arch::kernel_stack_usage();
  t.check_eq(stack.size, 16u * KiB, "boot stack size");
  t.check(stack.high_water > 0, "some of the stack was used");
  t.check(stack.high_water + kLimitReserve < stack.size, "the deepest use stayed above the limit");
  volatile u8 deeper[512];
  deeper[0] = 1;
  t.check(arch::kernel_stack_usage().high_water >= stack.high_water, "the mark only rises");
  (void)deeper[0];
}

// The harness attaches virtio-rng (qemu.rs) and QEMU 7.2 writes BI_RNG_SEED: both
// sources give bytes, and the device fresh ones each time it is read.
void the_machine_gives_entropy_from_its_seed_and_its_device(Context& t) {
  t.check_eq(m68k::boot_info().seed_bytes, usize{32}, "BI_RNG_SEED's 32 bytes");
  u8 first[arch::kEntropyBytes] = {}, second[arch::kEntropyBytes] = {};
  t.check_eq(arch::machine_entropy(first), u32{CK_ENTROPY_BOOT_SEED | CK_ENTROPY_DEVICE}, "sources, first read");
  t.check_eq(arch::machine_entropy(second), u32{CK_ENTROPY_BOOT_SEED | CK_ENTROPY_DEVICE}, "sources, second read");
  u32 same = 0, zero = 0;
  for (u32 i = 0; i < arch::kEntropyBytes; ++i) {
    same += first[i] == second[i] ? 1 : 0;
    zero += first[i] == 0 ? 1 : 0;
  }
  // Random bytes agree by chance 1 time in 256: more than 8 of 32 is a broken source.
  t.check(same <= 8, "the device's bytes differ between two reads");
  t.check(zero <= 8, "the bytes are not zeros");
}

constexpr ktest::Case kCases[] = {
    {"bootinfo_identifies_virt_68040", bootinfo_identifies_virt_68040},
    {"ram_size_is_what_qemu_was_given", ram_size_is_what_qemu_was_given},
    {"devices_come_from_bootinfo", devices_come_from_bootinfo},
    {"command_line_reaches_the_kernel", command_line_reaches_the_kernel},
    {"log_level_comes_from_the_command_line", log_level_comes_from_the_command_line},
    {"image_layout_is_ordered", image_layout_is_ordered},
    {"bss_is_cleared_and_data_is_loaded", bss_is_cleared_and_data_is_loaded},
    {"global_constructors_ran", global_constructors_ran},
    {"running_in_supervisor_mode_with_interrupts_masked", running_in_supervisor_mode_with_interrupts_masked},
    {"kernel_stack_high_water_is_measured", kernel_stack_high_water_is_measured},
    {"the_machine_gives_entropy_from_its_seed_and_its_device", the_machine_gives_entropy_from_its_seed_and_its_device},
};

}  // namespace

void ck::kernel_main() { ktest::run("boot", kCases); }
