// Signal functions of an application kernel's threads (libak.h; paper §2.2): the Cache
// Kernel enters ak_signal_entry (crt0.S), which calls the handler and returns from the
// signal.
#include "libak.h"

static_assert(CK_SIGNAL_RETURN == 23, "crt0.S loads CK_SIGNAL_RETURN as 23");

extern "C" void ak_signal_entry();

namespace ak {
namespace {
SignalHandler g_signal_handler;
}  // namespace

void set_signal_handler(SignalHandler handler) { g_signal_handler = handler; }
uint32_t signal_entry() { return reinterpret_cast<uint32_t>(&ak_signal_entry); }

}  // namespace ak

extern "C" void ak_signal_dispatch(uint32_t address) {
  if (ak::g_signal_handler != nullptr) ak::g_signal_handler(address);
}
