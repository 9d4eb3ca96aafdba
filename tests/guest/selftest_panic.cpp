// Harness self-test: panic() prints its message, registers and stack, and fails the run.
#include "boot.h"
#include "ktest.h"
#include "panic.h"

namespace {

void panics(ktest::Context&) { ck::panic("deliberate panic, code {:#x}", 0xdead); }

constexpr ktest::Case kCases[] = {{"panics", panics}};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_panic", kCases); }
