// Harness self-test: a division by zero raises vector 5 with a format $2 frame whose
// extra longword is the address of the dividing instruction.
#include "boot.h"
#include "ktest.h"

namespace {

void divides_by_zero(ktest::Context& t) {
  volatile ck::u32 zero = 0;
  volatile ck::u32 result = 100u / zero;
  t.check(result == 0, "unreachable");
}

constexpr ktest::Case kCases[] = {{"divides_by_zero", divides_by_zero}};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_zero_divide", kCases); }
