// Type-safe text formatting for the kernel: "{}" placeholders with a small spec language,
// written to any Sink (console, buffer). Portable; host-tested (tests/host/format_test.cpp).
//
//   format(sink, "RAM {} KiB at {:#010x}", kib, base);
//
// Spec (std::format's order): {[:[<|>][#][0][width][d|x|X|b|c|s|p]]}. `{{` and `}}` are literal braces.
// A placeholder without an argument prints "{?}", so a wrong call is visible, not fatal.
#pragma once

#include <concepts>
#include <type_traits>

#include "lib/str.h"
#include "lib/types.h"

namespace ck {

// Where formatted text goes.
class Sink {
 public:
  virtual void put(char c) = 0;
  virtual void write(StrView text) {
    for (usize i = 0; i < text.size(); ++i) put(text[i]);
  }

 protected:
  ~Sink() = default;
};

// A sink into a fixed buffer; always NUL-terminated, records whether text was cut.
class BufferSink final : public Sink {
 public:
  BufferSink(char* buffer, usize capacity) : buffer_(buffer), capacity_(capacity) { clear(); }

  void put(char c) override {
    if (length_ + 1 < capacity_) {
      buffer_[length_++] = c;
      buffer_[length_] = '\0';
    } else {
      truncated_ = true;
    }
  }

  void clear() {
    length_ = 0;
    truncated_ = false;
    if (capacity_ > 0) buffer_[0] = '\0';
  }

  StrView view() const { return StrView(buffer_, length_); }
  const char* c_str() const { return buffer_; }
  bool truncated() const { return truncated_; }

 private:
  char* buffer_;
  usize capacity_;
  usize length_ = 0;
  bool truncated_ = false;
};

// One formatting argument, erased to a small tagged value.
struct FormatArg {
  enum class Kind : u8 { Unsigned, Signed, Bool, Char, String, Pointer };

  Kind kind;
  union {
    u64 unsigned_value;
    i64 signed_value;
    bool bool_value;
    char char_value;
    StrView string_value;
    const void* pointer_value;
  };
};

template <typename T>
FormatArg make_format_arg(const T& value) {
  FormatArg arg{};
  if constexpr (std::is_same_v<T, bool>) {
    arg.kind = FormatArg::Kind::Bool;
    arg.bool_value = value;
  } else if constexpr (std::is_same_v<T, char>) {
    arg.kind = FormatArg::Kind::Char;
    arg.char_value = value;
  } else if constexpr (std::is_enum_v<T>) {
    return make_format_arg(static_cast<std::underlying_type_t<T>>(value));
  } else if constexpr (std::signed_integral<T>) {
    arg.kind = FormatArg::Kind::Signed;
    arg.signed_value = value;
  } else if constexpr (std::unsigned_integral<T>) {
    arg.kind = FormatArg::Kind::Unsigned;
    arg.unsigned_value = value;
  } else if constexpr (std::is_convertible_v<T, StrView>) {
    arg.kind = FormatArg::Kind::String;
    arg.string_value = StrView(value);
  } else if constexpr (requires { value.value(); }) {  // PhysAddr, VirtAddr
    arg.kind = FormatArg::Kind::Unsigned;
    arg.unsigned_value = value.value();
  } else {
    static_assert(std::is_pointer_v<T>, "no formatting for this type");
    arg.kind = FormatArg::Kind::Pointer;
    arg.pointer_value = value;
  }
  return arg;
}

void vformat(Sink& sink, StrView fmt, const FormatArg* args, usize count);

// The erased arguments of one call, on the caller's stack (one unused slot when empty).
template <typename... Args>
struct FormatArgs {
  static constexpr usize kCount = sizeof...(Args);
  explicit FormatArgs(const Args&... args) : values{make_format_arg(args)...} {}
  FormatArg values[kCount == 0 ? 1 : kCount];
};

template <typename... Args>
void format(Sink& sink, StrView fmt, const Args&... args) {
  const FormatArgs<Args...> erased(args...);
  vformat(sink, fmt, erased.values, erased.kCount);
}

// Formats into `buffer`; returns the text (possibly truncated, always terminated).
template <typename... Args>
StrView format_into(char* buffer, usize capacity, StrView fmt, const Args&... args) {
  BufferSink sink(buffer, capacity);
  format(sink, fmt, args...);
  return sink.view();
}

}  // namespace ck
