// The little a freestanding C++ kernel needs from a C library and the C++ ABI: GCC may
// emit calls to memcpy/memset/memmove/memcmp on its own. Guest only (host has libc).
#include "lib/memory_ops.h"
#include "lib/types.h"

extern "C" {

// Longwords, eight to a round (lib/memory_ops.h): exception frames, writeback records
// and thread states are copied on every forwarded exception, writeback and load.
void* memcpy(void* dest, const void* src, ck::usize n) {
  ck::copy_memory(dest, src, n);
  return dest;
}

void* memmove(void* dest, const void* src, ck::usize n) {
  auto* d = static_cast<unsigned char*>(dest);
  const auto* s = static_cast<const unsigned char*>(src);
  if (d < s) return memcpy(dest, src, n);
  while (n-- != 0) d[n] = s[n];
  return dest;
}

void* memset(void* dest, int value, ck::usize n) {
  ck::fill_memory(dest, static_cast<ck::u8>(value), n);
  return dest;
}

int memcmp(const void* a, const void* b, ck::usize n) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  for (ck::usize i = 0; i < n; ++i)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

ck::usize strlen(const char* s) {
  ck::usize n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

// A pure virtual function called through a half-built object: a kernel bug.
[[noreturn]] void __cxa_pure_virtual() {
  for (;;) asm volatile("illegal");
}

}  // extern "C"
