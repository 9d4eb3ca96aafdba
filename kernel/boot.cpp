// Portable boot (see boot.h): logging, command-line options, the banner.
#include "boot.h"

#include "arch/arch.h"
#include "lib/log.h"

namespace ck {

namespace {

CommandLine g_command_line;

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
    } else if (report && key.find('.') == key.size()) {
      klog::warn("unknown command-line option '{}'", key);
    }
  });
}

}  // namespace

const CommandLine& command_line() { return g_command_line; }

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
  klog::info("boot complete");
  kernel_main();
}

}  // namespace ck
