// The little a freestanding C++ kernel needs from a C library and the C++ ABI: GCC may
// emit calls to memcpy/memset/memmove/memcmp on its own. Guest only (host has libc).
#include "lib/types.h"

namespace {
// A longword at any byte address (may_alias: it copies objects of every type).
using Word [[gnu::aligned(1), gnu::may_alias]] = ck::u32;
}  // namespace

extern "C" {

// Longwords first: the 68040 allows misaligned longword accesses, and a copy costs a
// quarter of the instructions it would byte by byte (exception frames, writeback
// records and thread states are copied on every forwarded exception and writeback).
void* memcpy(void* dest, const void* src, ck::usize n) {
  auto* d = static_cast<unsigned char*>(dest);
  const auto* s = static_cast<const unsigned char*>(src);
  for (; n >= 4; n -= 4, d += 4, s += 4) *reinterpret_cast<Word*>(d) = *reinterpret_cast<const Word*>(s);
  while (n-- != 0) *d++ = *s++;
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
  auto* d = static_cast<unsigned char*>(dest);
  const ck::u32 byte = static_cast<unsigned char>(value);
  const ck::u32 word = byte * 0x01010101u;
  for (; n >= 4; n -= 4, d += 4) *reinterpret_cast<Word*>(d) = word;
  while (n-- != 0) *d++ = static_cast<unsigned char>(byte);
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
