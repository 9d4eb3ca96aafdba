// Interrupt handling (interrupts.h) and the interrupt part of the arch interface.
#include "arch/m68k/interrupts.h"

#include "arch/arch.h"
#include "arch/m68k/bootinfo.h"
#include "arch/m68k/goldfish_pic.h"
#include "arch/m68k/goldfish_rtc.h"
#include "arch/m68k/goldfish_tty.h"
#include "arch/m68k/masked_stretch.h"
#include "arch/m68k/virtio_blk.h"
#include "log.h"

// entry.S's CK_QUERY_TIME: the clock's register and origin (clock_ns() in assembly).
extern "C" ck::u32 m68k_rtc_time_low, m68k_clock_origin_low;

namespace ck::m68k {

namespace {

constexpr u64 kNanosecondsPerSecond = 1'000'000'000;
constexpr usize kInputBytes = 256;

GoldfishPic g_pics[kPicCount];
GoldfishRtc g_rtc;
IrqLine g_rtc_line, g_tty_line, g_disk_line;
u64 g_tick_period_ns = 0;
u64 g_next_tick_ns = 0;
u64 g_boot_ns = 0;  // the RTC when the clock started
arch::InterruptEvents g_events;
bool g_started = false;

// Console input received by interrupt, waiting for console_poll().
u8 g_input[kInputBytes];
usize g_input_head = 0, g_input_count = 0;

void tick_interrupt() {
  g_rtc.clear_interrupt();
  // Ticks keep to the period even when one is taken late: count any that were missed.
  const u64 now = g_rtc.now_ns();
  do {
    g_next_tick_ns += g_tick_period_ns;
    g_events.ticks += 1;
  } while (g_next_tick_ns <= now);
  g_rtc.set_alarm(g_next_tick_ns);
}

void console_interrupt() {
  u8 received[16];
  const u32 n = console_device().read_available(received, sizeof received);
  u32 dropped = 0;
  for (u32 i = 0; i < n; ++i) {
    if (g_input_count == kInputBytes) {
      dropped += 1;
      continue;
    }
    g_input[(g_input_head + g_input_count) % kInputBytes] = received[i];
    g_input_count += 1;
  }
  if (dropped != 0) klog::warn("console: input buffer full, {} character(s) dropped", dropped);
  if (n > 0) g_events.console_input = true;
}

void attach_line(const Device& device, IrqLine* line, StrView name) {
  *line = irq_line(device.irq);
  if (!device.present || !line->valid) {
    klog::warn("irq: no usable interrupt for {} (irq {})", name, device.irq);
    line->valid = false;
    return;
  }
  g_pics[line->pic].enable(1u << line->bit);
}

}  // namespace

void handle_interrupt(u32 level) {
  if (level == 0 || level > kPicCount) {
    klog::warn("irq: interrupt at level {} with no PIC", level);
    return;
  }
  const u32 pic = level - 1;
  u32 pending = g_pics[pic].pending();
  while (pending != 0) {
    const u32 bit = 31 - static_cast<u32>(__builtin_clz(pending));
    pending &= ~(1u << bit);
    if (g_rtc_line.valid && g_rtc_line.pic == pic && g_rtc_line.bit == bit) {
      tick_interrupt();
    } else if (g_tty_line.valid && g_tty_line.pic == pic && g_tty_line.bit == bit) {
      console_interrupt();
    } else if (g_disk_line.valid && g_disk_line.pic == pic && g_disk_line.bit == bit) {
      acknowledge_disk_interrupt();
      g_events.disk = true;
    } else {
      // Nobody drives this line: silence it rather than take it forever.
      g_pics[pic].disable(1u << bit);
      klog::warn("irq: unexpected interrupt {} (pic {} line {}), disabled", irq_number(pic, bit), pic + 1, bit + 1);
    }
  }
}

}  // namespace ck::m68k

namespace ck::arch {

using namespace m68k;

void start_interrupts(u32 tick_hz) {
  const BootInfo& bi = boot_info();
  for (u32 i = 0; i < kPicCount; ++i) {
    g_pics[i].attach(bi.pic.base + i * kPicStride);
    g_pics[i].disable_all();
  }
  g_rtc.attach(bi.rtc.base);
  g_boot_ns = g_rtc.now_ns();
  m68k_clock_origin_low = static_cast<u32>(g_boot_ns);
  m68k_rtc_time_low = g_rtc.time_low_register();
  g_tick_period_ns = kNanosecondsPerSecond / tick_hz;
  // Clear stale state before arming, never after: an alarm that fires before the
  // clear would be wiped out, and with it every later tick.
  g_rtc.clear_interrupt();
  g_next_tick_ns = g_rtc.now_ns() + g_tick_period_ns;
  g_rtc.set_alarm(g_next_tick_ns);
  g_rtc.enable_interrupt();
  attach_line(bi.rtc, &g_rtc_line, "rtc");
  console_device().enable_interrupt();
  attach_line(bi.tty, &g_tty_line, "tty");
  if (const u32 irq = disk_irq(); irq != 0) {
    g_disk_line = irq_line(irq);
    if (g_disk_line.valid) g_pics[g_disk_line.pic].enable(1u << g_disk_line.bit);
  }
  g_started = true;
  klog::info("irq: tick {} Hz (every {} ns) from the RTC alarm, irq {}; console irq {}", tick_hz, g_tick_period_ns,
             bi.rtc.irq, bi.tty.irq);
}

InterruptEvents take_interrupt_events() {
  const InterruptEvents e = g_events;
  g_events = InterruptEvents{};
  return e;
}

void wait_for_interrupt() {
  // STOP loads the SR (mask 0) and waits in one step: an interrupt that became pending
  // while the caller checked for work is taken at once, never missed. The interrupt's
  // handler begins the next masked stretch (supervisor_exception).
  masked::end();
  asm volatile(
      "stop #0x2000\n\t"
      "move.w #0x2700, %%sr"
      :
      :
      : "memory");
}

[[gnu::noinline]] u32 masked::stamp() { return g_rtc.now_low_ns(); }

// The RTC counts from the host's epoch (or QEMU's -rtc base): the kernel's clock counts
// from when interrupts started, early in boot.
u64 clock_ns() { return g_rtc.now_ns() - g_boot_ns; }
// The low word of a difference is the difference of the low words.
u32 clock_low_ns() { return g_rtc.now_low_ns() - static_cast<u32>(g_boot_ns); }
u64 clock_epoch_ns() { return g_boot_ns; }

int console_poll() {
  if (!g_started) return console_device().poll();
  if (g_input_count == 0) return -1;
  const u8 c = g_input[g_input_head];
  g_input_head = (g_input_head + 1) % kInputBytes;
  g_input_count -= 1;
  return c;
}

}  // namespace ck::arch
