// The console (console.h).
#include "console.h"

#include "libak.h"

namespace unixemu {

namespace {
char g_last = '\n';
constexpr uint32_t kChunk = 256;  // CK_CONSOLE_WRITE's limit
}  // namespace

void console_write(const char* text, uint32_t bytes) {
  while (bytes != 0) {
    const uint32_t n = bytes < kChunk ? bytes : kChunk;
    ak::call(CK_CONSOLE_WRITE, n, 0, 0, 0, text);
    g_last = text[n - 1];
    text += n;
    bytes -= n;
  }
}

char console_last_byte() { return g_last; }

}  // namespace unixemu
