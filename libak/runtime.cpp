// libak start-up and the C runtime an application kernel needs (memcpy and friends are
// emitted by the compiler even in freestanding code).
#include <stddef.h>
#include <stdint.h>

#include "libak.h"

extern "C" {
using InitFunction = void (*)();
extern InitFunction __init_array_start[], __init_array_end[];
extern uint8_t __bss_start[], __bss_end[];

void* memcpy(void* to, const void* from, size_t n) {
  auto* d = static_cast<uint8_t*>(to);
  const auto* s = static_cast<const uint8_t*>(from);
  while (n-- != 0) *d++ = *s++;
  return to;
}

void* memmove(void* to, const void* from, size_t n) {
  auto* d = static_cast<uint8_t*>(to);
  const auto* s = static_cast<const uint8_t*>(from);
  if (d < s) return memcpy(to, from, n);
  while (n-- != 0) d[n] = s[n];
  return to;
}

void* memset(void* to, int c, size_t n) {
  auto* d = static_cast<uint8_t*>(to);
  while (n-- != 0) *d++ = static_cast<uint8_t>(c);
  return to;
}

int memcmp(const void* a, const void* b, size_t n) {
  const auto* x = static_cast<const uint8_t*>(a);
  const auto* y = static_cast<const uint8_t*>(b);
  for (; n != 0; --n, ++x, ++y)
    if (*x != *y) return *x - *y;
  return 0;
}

size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n] != 0) ++n;
  return n;
}

}  // extern "C"

namespace ak {
namespace {
const ck_boot_info* g_boot_info;
}  // namespace

const ck_boot_info& boot_info() { return *g_boot_info; }

}  // namespace ak

extern "C" [[noreturn]] void ak_start(ck_boot_info* info) {
  // The loader zero-fills .bss; constructors run here.
  ak::g_boot_info = info;
  for (InitFunction* f = __init_array_start; f != __init_array_end; ++f) (*f)();
  info->exit_code = static_cast<uint32_t>(ak_main(*info));
  ak::flush_console();
  ak::unload_thread(info->thread);
  for (;;) {
  }
}
