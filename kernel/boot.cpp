// Portable boot (see boot.h): logging, command-line options, the banner.
#include "boot.h"

#include "arch/arch.h"
#include "clock.h"
#include "log.h"
#include "panic.h"

namespace ck {

namespace {

CommandLine g_command_line;
BootMemory g_boot_memory;

// Options the kernel itself reads. Options named `component.key` (with a dot) belong to
// other components (e.g. `ktest.*` for guest tests) and are not checked here. Applied
// before the banner, reported after it, so the warnings are not lost above it.
void apply_options(const CommandLine& line, bool report) {
  line.for_each([report](StrView key, StrView value) {
    if (key == "log") {
      LogLevel level;
      if (klog::parse_level(value, &level)) {
        klog::set_level(level);
        if (report && level > kCompiledLogLevel)
          klog::warn("log={} is above the compiled-in maximum {}", value, klog::level_name(kCompiledLogLevel));
      } else if (report) {
        klog::warn("log={}: expected error, warn, info, debug or trace", value);
      }
    } else if (key == "tick_hz" || key == "slice" || key == "cpu_window") {
      // Read by start_machine(), which reports a bad value.
    } else if (key == "monitor") {
      // Read by the kernel image's kernel_main(): the boot monitor instead of the SRM.
    } else if (report && key.find('.') == key.size()) {
      klog::warn("unknown command-line option '{}'", key);
    }
  });
}

// Page tables, MMU and caches, then interrupts and the tick (DESIGN.md §3).
void start_machine() {
  const arch::Platform& p = arch::platform();
  const arch::ImageLayout img = arch::image_layout();
  g_boot_memory.init(p.memory, p.memory_count, img.end);
  const u32 pool_bytes = page_table_pool_bytes(p.ram_bytes()) + arch::kernel_map_table_bytes(p.ram_bytes());
  const PhysRange pool = g_boot_memory.take(pool_bytes, 4096);
  if (pool.size == 0) panic("no room for {} KiB of page tables", pool_bytes / KiB);
  PhysAddr ram_end;
  for (usize i = 0; i < p.memory_count; ++i)
    if (p.memory[i].end() > ram_end) ram_end = p.memory[i].end();
  arch::init_memory_management(pool, ram_end);

  u32 hz = clock::kDefaultTickHz;
  if (!clock::configured_rate(g_command_line, &hz))
    klog::warn("tick_hz: expected {}..{}; using {}", clock::kMinTickHz, clock::kMaxTickHz, hz);
  clock::start(hz);
  u32 slice = 0, window = 0;
  if (!clock::configured_count(g_command_line, "slice", 1, clock::kMaxSliceTicks, clock::kDefaultSliceTicks, &slice))
    klog::warn("slice: expected 1..{} ticks; using {}", clock::kMaxSliceTicks, slice);
  if (!clock::configured_count(g_command_line, "cpu_window", clock::kMinWindowTicks, clock::kMaxWindowTicks,
                               clock::kDefaultWindowTicks, &window))
    klog::warn("cpu_window: expected {}..{} ticks; using {}", clock::kMinWindowTicks, clock::kMaxWindowTicks, window);
  clock::set_periods(slice, window);
  arch::start_interrupts(hz);
  klog::info("memory: {} KiB free for application kernels", g_boot_memory.free_bytes() / KiB);
}

}  // namespace

const CommandLine& command_line() { return g_command_line; }

BootMemory& boot_memory() { return g_boot_memory; }

void print_banner(Sink& out) {
  const arch::Platform& p = arch::platform();
  const arch::ImageLayout img = arch::image_layout();
  format(out, "\nCache Kernel for the Motorola 68040 (Cheriton & Duda, OSDI '94 caching model)\n");
  arch::describe_machine(out);
  for (usize i = 0; i < p.memory_count; ++i)
    format(out, "  memory  {} KiB at {:#010x}-{:#010x}\n", p.memory[i].size / KiB, p.memory[i].base,
           p.memory[i].end().value() - 1);
  format(out, "  image   text {:#010x}-{:#010x}  data {:#010x}-{:#010x}  bss {:#010x}-{:#010x}\n", img.text_start,
         img.text_end, img.data_start, img.data_end, img.bss_start, img.bss_end);
  format(out, "          vectors {:#010x}  boot stack {:#010x}-{:#010x}  end {:#010x} ({} KiB)\n", img.vectors,
         img.boot_stack_bottom, img.boot_stack_top, img.end, (img.end - img.text_start) / KiB);
  format(out, "  cmdline \"{}\"\n", g_command_line.text());
  format(out, "  log     {} (compiled up to {})\n", klog::level_name(klog::level()),
         klog::level_name(kCompiledLogLevel));
}

void kernel_boot(bool command_line_truncated) {
  klog::set_sink(&arch::console());
  g_command_line = CommandLine(arch::platform().command_line);
  apply_options(g_command_line, false);
  print_banner(arch::console());
  apply_options(g_command_line, true);
  if (command_line_truncated) klog::warn("command line truncated to \"{}\"", g_command_line.text());
  start_machine();
  klog::info("boot complete");
  kernel_main();
}

}  // namespace ck
