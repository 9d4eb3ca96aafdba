// The console's input hand-over (console_focus.h).
#include "console_focus.h"

#include "devices.h"
#include "kernels.h"

namespace srm {

namespace {

uint32_t g_focus = 0;                // the number of the kernel with the console; 0: the SRM
uint32_t g_asked[kMaxKernels] = {};  // the page each kernel asked with (0: none)
uint32_t g_dropped = 0;

// The ring a kernel designated, if it is a page of its own memory (a hostile address
// is ignored, never written).
ck_console_rx* ring_of(const Kernel& k) {
  const uint32_t pa = boot_info_of(k).console_rx;
  if (pa == 0 || pa % ak::kPageBytes != 0 || pa - k.base >= k.bytes()) return nullptr;
  return window().at<ck_console_rx>(pa);
}

bool has_memory(const Kernel& k) { return k.state == State::Running || k.state == State::Displaced; }

void take_back(StrView why) {
  g_focus = 0;
  say("\nSRM: the console is the SRM's again ({}); `console N` gives it back to kernel N\nsrm> ", why);
}

}  // namespace

void console_pass() {
  for (uint32_t i = 0; i < kMaxKernels; ++i) {
    Kernel& k = kernel_slot(i);
    const uint32_t asked = has_memory(k) ? boot_info_of(k).console_rx : 0;
    if (asked != g_asked[i] && asked != 0 && ring_of(k) != nullptr) {
      g_focus = k.number;
      say("\nSRM: the console is #{} '{}''s now; type Ctrl-] for the SRM\n", k.number, k.image.name);
    }
    g_asked[i] = asked;
    if (g_focus == k.number && !has_memory(k)) take_back("its kernel left");
  }
}

bool console_given() { return g_focus != 0; }

void forward_console_input() {
  ck_console_rx& in = console_input();
  Kernel* k = kernel_numbered(g_focus);
  ck_console_rx* out = k != nullptr && has_memory(*k) ? ring_of(*k) : nullptr;
  while (in.tail != in.head) {
    const uint8_t c = in.data[in.tail];
    in.tail = (in.tail + 1) % CK_CONSOLE_RX_BYTES;
    if (c == static_cast<uint8_t>(kConsoleEscape) || out == nullptr) {
      take_back(c == static_cast<uint8_t>(kConsoleEscape) ? "Ctrl-]" : "its kernel left");
      return;
    }
    // The kernel owns tail: read once, and a value out of range counts as a full ring.
    const uint32_t head = out->head % CK_CONSOLE_RX_BYTES, tail = out->tail;
    if (tail >= CK_CONSOLE_RX_BYTES || (head + 1) % CK_CONSOLE_RX_BYTES == tail) {
      out->dropped = out->dropped + 1;
      g_dropped += 1;
      continue;
    }
    out->data[head] = c;
    out->head = (head + 1) % CK_CONSOLE_RX_BYTES;
  }
}

bool give_console(uint32_t number) {
  Kernel* k = kernel_numbered(number);
  if (k == nullptr || !has_memory(*k) || ring_of(*k) == nullptr) return false;
  g_focus = number;
  say("SRM: the console is #{} '{}''s now; type Ctrl-] for the SRM\n", k->number, k->image.name);
  return true;
}

}  // namespace srm
