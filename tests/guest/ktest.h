// ktest: the guest test runner. A guest test image defines its cases and calls
// ktest::run from kernel_main(); the runner prints one verdict line per case and a
// summary, then ends the run (status 0 all passed, failure status otherwise).
//
//   KTEST BEGIN <suite> <cases>
//   KTEST PASS <case>
//   KTEST FAIL <case>: <file>:<line>: <what>
//   KTEST SUMMARY <passed> passed, <failed> failed
//
// The harness (tools/xtask/src/guest_tests.rs) parses exactly these lines.
#pragma once

#include <source_location>

#include "lib/format.h"

namespace ktest {

using ck::StrView;
using ck::usize;

class Context {
 public:
  explicit Context(StrView case_name) : case_name_(case_name) {}

  // Records a failure (and goes on) when `ok` is false.
  void check(bool ok, StrView what, std::source_location where = std::source_location::current());

  template <typename A, typename B>
  void check_eq(const A& actual, const B& expected, StrView what,
                std::source_location where = std::source_location::current()) {
    if (actual == expected) return;
    char detail[160];
    check(false,
          ck::format_into(detail, sizeof detail, "{}: got {} ({:#x}), expected {} ({:#x})", what, actual, actual,
                          expected, expected),
          where);
  }

  bool failed() const { return failures_ != 0; }

 private:
  StrView case_name_;
  unsigned failures_ = 0;
};

struct Case {
  StrView name;
  void (*run)(Context&);
};

[[noreturn]] void run(StrView suite, const Case* cases, ck::usize count);

template <ck::usize N>
[[noreturn]] void run(StrView suite, const Case (&cases)[N]) {
  run(suite, cases, N);
}

}  // namespace ktest
