// Console output of an application kernel through the CK_CONSOLE_WRITE call.
#include "libak.h"

namespace ak {
namespace {

LineSink g_console([](const char* text, uint32_t bytes) { call_with(CK_CONSOLE_WRITE, bytes, 0, 0, text, bytes); });

}  // namespace

Sink& console() { return g_console; }
void flush_console() { g_console.flush(); }

}  // namespace ak
