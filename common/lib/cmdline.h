// The kernel command line: space-separated `key=value` options and bare flags, as
// QEMU's -append passes it in the bootinfo. Portable; host-tested.
#pragma once

#include "lib/str.h"

namespace ck {

class CommandLine {
 public:
  CommandLine() = default;
  explicit CommandLine(StrView text) : text_(text) {}

  StrView text() const { return text_; }

  // Value of the last `key=value` for `key` (later options override earlier ones).
  bool lookup(StrView key, StrView* value) const;
  // True when `key` appears bare or as `key=...`.
  bool has(StrView key) const;

  // Calls visit(key, value) for each option in order; a bare flag has an empty value.
  template <typename Visitor>
  void for_each(Visitor&& visit) const {
    usize i = 0;
    while (i < text_.size()) {
      while (i < text_.size() && text_[i] == ' ') ++i;
      usize end = i;
      while (end < text_.size() && text_[end] != ' ') ++end;
      if (end > i) {
        const StrView option = text_.substr(i, end - i);
        const usize eq = option.find('=');
        visit(option.substr(0, eq), eq < option.size() ? option.substr(eq + 1, option.size()) : StrView());
      }
      i = end;
    }
  }

 private:
  StrView text_;
};

}  // namespace ck
