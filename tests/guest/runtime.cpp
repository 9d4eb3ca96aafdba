// Guest test: the freestanding runtime as the m68k compiler builds it: formatting
// (64-bit division comes from libgcc), the mem* functions, integer division.
#include <cstring>

#include "boot.h"
#include "ktest.h"

namespace {

using namespace ck;
using ktest::Context;

// Values the optimizer cannot see through.
template <typename T>
T opaque(T value) {
  volatile T v = value;
  return v;
}

void formats_64_bit_values(Context& t) {
  char buffer[64];
  t.check(format_into(buffer, sizeof buffer, "{}", opaque(~u64{0})) == "18446744073709551615", "u64 max");
  t.check(format_into(buffer, sizeof buffer, "{}", opaque(i64{-9223372036854775807 - 1})) == "-9223372036854775808",
          "i64 min");
  t.check(format_into(buffer, sizeof buffer, "{:x}", opaque(u64{0x123456789abcdef0})) == "123456789abcdef0", "u64 hex");
}

void formats_widths_and_bases(Context& t) {
  char buffer[64];
  t.check(format_into(buffer, sizeof buffer, "[{:#010x}]", opaque(0xbeefu)) == "[0x0000beef]", "zero-padded hex");
  t.check(format_into(buffer, sizeof buffer, "[{:>6}|{:<6}]", opaque(42), "ab") == "[    42|ab    ]", "alignment");
  t.check(format_into(buffer, sizeof buffer, "{:b} {}", opaque(5u), opaque(-7)) == "101 -7", "binary, negative");
}

using CopyFn = void* (*)(void*, const void*, usize);

void mem_functions_handle_overlap(Context& t) {
  // Through volatile pointers, so the calls reach runtime.cpp, not compiler builtins.
  CopyFn volatile move = &memmove;
  CopyFn volatile copy = &memcpy;
  void* (*volatile set)(void*, int, usize) = &memset;
  int (*volatile compare)(const void*, const void*, usize) = &memcmp;

  char forward[] = "abcdefgh";
  move(forward + 2, forward, 5);
  t.check(compare(forward, "ababcdeh", 9) == 0, "memmove to a higher overlapping address");
  char backward[] = "abcdefgh";
  move(backward, backward + 3, 5);
  t.check(compare(backward, "defghfgh", 9) == 0, "memmove to a lower overlapping address");
  char target[9] = {};
  copy(target, "12345678", 8);
  t.check(compare(target, "12345678", 9) == 0, "memcpy then memcmp equal");
  t.check(compare("abc", "abd", 3) < 0, "memcmp orders");
  set(target, 'z', 4);
  t.check(compare(target, "zzzz5678", 9) == 0, "memset");
}

void integer_division_is_exact(Context& t) {
  t.check_eq(opaque(4000000000u) / opaque(7u), 571428571u, "divu.l quotient");
  t.check_eq(opaque(4000000000u) % opaque(7u), 3u, "divu.l remainder");
  t.check_eq(opaque(-100) / opaque(7), -14, "divs.l rounds toward zero");
  t.check_eq(opaque(-100) % opaque(7), -2, "divs.l remainder sign");
  t.check_eq(opaque(u64{0xfedcba9876543210}) / opaque(u64{1000003}), u64{18364703450382}, "64-bit quotient (libgcc)");
  t.check_eq(opaque(u64{0xfedcba9876543210}) % opaque(u64{1000003}), u64{713574}, "64-bit remainder (libgcc)");
}

constexpr ktest::Case kCases[] = {
    {"formats_64_bit_values", formats_64_bit_values},
    {"formats_widths_and_bases", formats_widths_and_bases},
    {"mem_functions_handle_overlap", mem_functions_handle_overlap},
    {"integer_division_is_exact", integer_division_is_exact},
};

}  // namespace

void ck::kernel_main() { ktest::run("runtime", kCases); }
