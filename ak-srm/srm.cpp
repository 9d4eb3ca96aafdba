// The System Resource Manager (paper §3), the first kernel: started by the Cache Kernel
// at boot, locked, with all the memory. For now (issue 6) it owns the console through
// the console's message pages: it echoes what is typed, one signal per key, and answers
// a few commands on the clock, the disk and its own share. Issue 7 makes it start and
// manage the other application kernels.
#include <stdint.h>
#include <string.h>

#include "libak.h"

namespace {

using ak::StrView;

constexpr uint32_t kTx = 0x60000000, kRx = 0x60001000, kClock = 0x60002000;

const ck_boot_info* g_info;

// Console output through the transmit page: text at offset 4, its length first, then a
// signal to the console driver.
ak::LineSink g_out([](const char* text, uint32_t bytes) {
  memcpy(reinterpret_cast<char*>(kTx + 4), text, bytes);
  *reinterpret_cast<volatile uint32_t*>(kTx) = bytes;
  ak::signal(kTx);
});

template <typename... Args>
void say(StrView fmt, const Args&... args) {
  ck::format(g_out, fmt, args...);
  g_out.flush();
}

void time() {
  const auto* c = reinterpret_cast<const ck_clock*>(kClock);
  uint32_t sequence, high, low, ticks;
  do {
    sequence = c->sequence;
    high = c->ns_high;
    low = c->ns_low;
    ticks = c->ticks_low;
  } while (sequence != c->sequence);
  const uint64_t ns = static_cast<uint64_t>(high) << 32 | low;
  say("{} ticks, {} ms since boot (clock page)\n", ticks, static_cast<uint32_t>(ns / 1000000));
}

void stats() {
  ck_kernel_stats s{};
  if (ak::kernel_stats(0, &s) != CK_OK) return;
  say("SRM: {} threads, {} per mille of the processor over the last {} ms, {}% granted\n", s.threads, s.share_permille,
      s.window_ns / 1000000, s.cpu_percent);
}

void command(StrView line) {
  if (line == "help") {
    say("commands: help, time, stats, disk; anything else is echoed\n");
  } else if (line == "time") {
    time();
  } else if (line == "stats") {
    stats();
  } else if (line == "disk") {
    say(g_info->disk_sectors != 0 ? "disk: {} sectors of 512 bytes (virtio-blk)\n" : "disk: none attached\n",
        g_info->disk_sectors);
  } else if (!line.empty()) {
    say("echo: {}\n", line);
  }
}

// Reads the console's receive ring, echoing as it goes; a line at a time to command().
void console_loop() {
  auto* rx = reinterpret_cast<ck_console_rx*>(kRx);
  char line[80];
  uint32_t n = 0;
  say("srm> ");
  for (;;) {
    while (rx->tail != rx->head) {
      const char c = static_cast<char>(rx->data[rx->tail]);
      rx->tail = (rx->tail + 1) % CK_CONSOLE_RX_BYTES;
      if (c == '\r' || c == '\n') {
        say("\n");
        command(StrView(line, n));
        n = 0;
        say("srm> ");
      } else if ((c == 0x7f || c == 0x08) && n > 0) {
        --n;
        say("\b \b");
      } else if (c >= ' ' && c < 0x7f && n < sizeof line) {
        line[n++] = c;
        say("{}", StrView(&line[n - 1], 1));
      }
    }
    ak::wait_signal();  // the console driver signals new input
  }
}

}  // namespace

int ak_main(const ck_boot_info& info) {
  g_info = &info;
  const uint32_t self = info.thread;
  if (ak::load_mapping(info.space, kTx, info.console_tx, CK_MAP_WRITE | CK_MAP_MESSAGE) != CK_OK ||
      ak::load_mapping(info.space, kRx, info.console_rx, CK_MAP_WRITE | CK_MAP_MESSAGE, self) != CK_OK ||
      ak::load_mapping(info.space, kClock, info.clock, 0) != CK_OK) {
    ak::print("SRM: cannot map the console and clock pages\n");
    return 1;
  }
  say("\nSRM: the first kernel, {} KiB of memory; the console is message pages now.\n"
      "SRM: type help for commands.\n",
      (info.memory_end - info.memory_base) / 1024);
  console_loop();
  return 0;
}
