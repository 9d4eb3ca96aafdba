// Minimal string helpers for a freestanding kernel: a non-owning view and number parsing.
// Portable; host-tested (tests/host/str_test.cpp).
#pragma once

#include "lib/types.h"

namespace ck {

// A non-owning view of characters. Unlike std::string_view it never throws and needs
// no library support, which a freestanding kernel does not have.
class StrView {
 public:
  constexpr StrView() = default;
  constexpr StrView(const char* data, usize length) : data_(data), length_(length) {}
  constexpr StrView(const char* c_string) : data_(c_string), length_(c_length(c_string)) {}

  constexpr const char* data() const { return data_; }
  constexpr usize size() const { return length_; }
  constexpr bool empty() const { return length_ == 0; }
  constexpr char operator[](usize i) const { return data_[i]; }

  constexpr bool operator==(StrView other) const {
    if (length_ != other.length_) return false;
    for (usize i = 0; i < length_; ++i)
      if (data_[i] != other.data_[i]) return false;
    return true;
  }

  constexpr StrView substr(usize start, usize count) const {
    if (start > length_) start = length_;
    if (count > length_ - start) count = length_ - start;
    return StrView(data_ + start, count);
  }

  constexpr bool starts_with(StrView prefix) const {
    return prefix.length_ <= length_ && substr(0, prefix.length_) == prefix;
  }

  // Index of the first `c`, or size() when absent.
  constexpr usize find(char c) const {
    for (usize i = 0; i < length_; ++i)
      if (data_[i] == c) return i;
    return length_;
  }

 private:
  static constexpr usize c_length(const char* s) {
    usize n = 0;
    if (s != nullptr)
      while (s[n] != '\0') ++n;
    return n;
  }

  const char* data_ = "";
  usize length_ = 0;
};

// Parses an unsigned decimal, or hexadecimal with a 0x prefix, that fits in 32 bits.
// Returns false (and leaves *out alone) on anything else: empty, junk, overflow.
bool parse_u32(StrView text, u32* out);

// Copies `text` into `buffer` (capacity bytes, NUL-terminated). Returns false when the
// text had to be truncated.
bool copy_terminated(StrView text, char* buffer, usize capacity);

}  // namespace ck
