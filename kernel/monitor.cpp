// The boot monitor: the console prompt of the kernel image until the System Resource
// Manager takes the console over (paper §4: the Cache Kernel shares its PROM with a
// monitor). Input arrives by interrupt; the kernel idles with STOP between keys.
#include "arch/arch.h"
#include "boot.h"
#include "log.h"
#include "run_loop.h"

namespace ck {

namespace {

constexpr usize kLineCapacity = 80;

struct MonitorCommand {
  StrView name;
  StrView help;
  void (*run)(StrView argument);
};

void cmd_help(StrView);

void cmd_info(StrView) { print_banner(arch::console()); }

void cmd_log(StrView argument) {
  LogLevel level;
  if (argument.empty()) {
    format(arch::console(), "log level {}\n", klog::level_name(klog::level()));
  } else if (klog::parse_level(argument, &level)) {
    klog::set_level(level);
    format(arch::console(), "log level {}\n", klog::level_name(klog::level()));
  } else {
    format(arch::console(), "log: expected error, warn, info, debug or trace\n");
  }
}

void cmd_halt(StrView) {
  format(arch::console(), "halting\n");
  arch::power_off();
}

void cmd_reset(StrView) {
  format(arch::console(), "resetting\n");
  arch::reboot();
}

void cmd_crash(StrView) { arch::execute_illegal_instruction(); }

constexpr MonitorCommand kCommands[] = {
    {"help", "list commands", cmd_help},
    {"info", "show the boot banner again", cmd_info},
    {"log", "log [LEVEL]: show or set the log level", cmd_log},
    {"halt", "power off (QEMU exits with status 0)", cmd_halt},
    {"reset", "restart the machine", cmd_reset},
    {"crash", "execute an illegal instruction (shows the fatal report)", cmd_crash},
};

void cmd_help(StrView) {
  for (const MonitorCommand& c : kCommands) format(arch::console(), "  {:<6} {}\n", c.name, c.help);
}

void execute(StrView line) {
  const usize space = line.find(' ');
  const StrView name = line.substr(0, space);
  const StrView argument = line.substr(space + 1, line.size());
  if (name.empty()) return;
  for (const MonitorCommand& c : kCommands) {
    if (c.name == name) {
      c.run(argument);
      return;
    }
  }
  format(arch::console(), "unknown command '{}' (try help)\n", name);
}

// Reads one line, echoing as it goes.
StrView read_line(char (&buffer)[kLineCapacity]) {
  usize length = 0;
  for (;;) {
    const int c = arch::console_poll();
    if (c < 0) {
      arch::wait_for_interrupt();
      absorb_interrupt_events();
      continue;
    }
    if (c == '\r' || c == '\n') {
      format(arch::console(), "\n");
      return StrView(buffer, length);
    }
    if ((c == 0x7f || c == 0x08) && length > 0) {
      --length;
      format(arch::console(), "\b \b");
    } else if (c >= ' ' && c < 0x7f && length < kLineCapacity) {
      buffer[length++] = static_cast<char>(c);
      arch::console().put(static_cast<char>(c));
    }
  }
}

}  // namespace

[[noreturn]] void run_monitor();

void run_monitor() {
  format(arch::console(), "\nMonitor ready; 'help' lists commands.\n");
  char buffer[kLineCapacity];
  for (;;) {
    format(arch::console(), "ck> ");
    execute(read_line(buffer));
  }
}

}  // namespace ck
