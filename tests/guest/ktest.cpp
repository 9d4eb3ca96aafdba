// ktest: the guest test runner (see ktest.h).
#include "ktest.h"

#include "arch/arch.h"

namespace ktest {

namespace {

StrView basename(const char* path) {
  const StrView full(path);
  usize start = 0;
  for (usize i = 0; i < full.size(); ++i)
    if (full[i] == '/') start = i + 1;
  return full.substr(start, full.size());
}

}  // namespace

void Context::check(bool ok, StrView what, std::source_location where) {
  if (ok) return;
  // Only the first failure becomes the verdict line; later ones are context.
  ck::format(ck::arch::console(), "KTEST {} {}: {}:{}: {}\n", failures_ == 0 ? "FAIL" : "NOTE", case_name_,
             basename(where.file_name()), where.line(), what);
  ++failures_;
}

void run(StrView suite, const Case* cases, ck::usize count) {
  ck::Sink& out = ck::arch::console();
  ck::format(out, "KTEST BEGIN {} {}\n", suite, count);
  unsigned passed = 0;
  unsigned failed = 0;
  for (ck::usize i = 0; i < count; ++i) {
    Context context(cases[i].name);
    cases[i].run(context);
    if (context.failed()) {
      ++failed;
    } else {
      ++passed;
      ck::format(out, "KTEST PASS {}\n", cases[i].name);
    }
  }
  ck::format(out, "KTEST SUMMARY {} passed, {} failed\n", passed, failed);
  if (failed != 0) ck::arch::fatal_stop();
  ck::arch::power_off();
}

}  // namespace ktest
