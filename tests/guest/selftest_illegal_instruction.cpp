// Harness self-test: an illegal instruction in the kernel must produce the fatal report
// and a failure status, with no summary line.
#include "arch/arch.h"
#include "boot.h"
#include "ktest.h"

namespace {

void executes_illegal(ktest::Context&) {
  asm volatile("move.l #0x11111111, %%d1\n\tmove.l #0xa5a5a5a5, %%a2\n\tillegal" : : : "d1", "a2");
}

constexpr ktest::Case kCases[] = {{"executes_illegal", executes_illegal}};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_illegal_instruction", kCases); }
