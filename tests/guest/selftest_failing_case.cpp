// Harness self-test: one case passes, one fails on purpose. The harness must report
// this image as failed, name the failing case, and count one pass.
#include "boot.h"
#include "ktest.h"

namespace {

void passes(ktest::Context& t) { t.check(true, "trivially true"); }

void fails_on_purpose(ktest::Context& t) { t.check_eq(1 + 1, 3, "deliberately wrong arithmetic"); }

constexpr ktest::Case kCases[] = {
    {"passes", passes},
    {"fails_on_purpose", fails_on_purpose},
};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_failing_case", kCases); }
