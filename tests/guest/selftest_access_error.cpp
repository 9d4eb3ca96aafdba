// Harness self-test: a kernel read outside RAM and I/O (neither transparent translation
// nor the supervisor tables cover it) raises an ATC access error (format $7 frame); the
// fatal report must decode the fault address and access.
#include "boot.h"
#include "ktest.h"

namespace {

void reads_unassigned_memory(ktest::Context&) {
  // Between the end of RAM and the virt devices: nothing maps it for the kernel.
  const volatile ck::u32* nowhere = reinterpret_cast<const volatile ck::u32*>(0xfe000000u);
  (void)*nowhere;
}

constexpr ktest::Case kCases[] = {{"reads_unassigned_memory", reads_unassigned_memory}};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_access_error", kCases); }
