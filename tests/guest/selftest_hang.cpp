// Harness self-test: a guest that never finishes must be stopped by the wall-clock limit
// and reported as failed.
#include "boot.h"
#include "ktest.h"

namespace {

void spins_forever(ktest::Context&) {
  for (;;) asm volatile("nop");
}

constexpr ktest::Case kCases[] = {{"spins_forever", spins_forever}};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_hang", kCases); }
