// Harness self-test: a kernel read through a null pointer. Page 0 is invalid for
// supervisor data (mmu.cpp), so it raises an access error whose report names it.
#include "boot.h"
#include "ktest.h"

namespace {

// From memory, so that the compiler cannot see the null pointer and treat the read as
// undefined.
volatile ck::usize g_null = 0;

void reads_through_a_null_pointer(ktest::Context&) {
  const volatile ck::u32* p = reinterpret_cast<const volatile ck::u32*>(g_null + 0x10);
  (void)*p;
}

constexpr ktest::Case kCases[] = {{"reads_through_a_null_pointer", reads_through_a_null_pointer}};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_null_pointer", kCases); }
