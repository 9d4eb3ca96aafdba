// Minimal string helpers for a freestanding kernel (see str.h).
#include "lib/str.h"

namespace ck {

namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool parse_u32(StrView text, u32* out) {
  u32 base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    base = 16;
    text = text.substr(2, text.size());
  }
  if (text.empty()) return false;

  u64 value = 0;
  for (usize i = 0; i < text.size(); ++i) {
    const int digit = digit_value(text[i]);
    if (digit < 0 || static_cast<u32>(digit) >= base) return false;
    value = value * base + static_cast<u32>(digit);
    if (value > 0xffffffffu) return false;
  }
  *out = static_cast<u32>(value);
  return true;
}

bool copy_terminated(StrView text, char* buffer, usize capacity) {
  if (capacity == 0) return text.empty();
  const usize n = text.size() < capacity - 1 ? text.size() : capacity - 1;
  for (usize i = 0; i < n; ++i) buffer[i] = text[i];
  buffer[n] = '\0';
  return n == text.size();
}

}  // namespace ck
