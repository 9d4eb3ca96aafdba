// Harness self-test: a kernel path that recurses without end. A stack-limit check in a
// function's prologue (-fstack-limit-symbol, kernel/CMakeLists.txt) must stop it before
// it leaves the stack; the report comes from the emergency stack and QEMU exits with
// the failure status (not a hang, not QEMU's double-fault abort).
#include "boot.h"
#include "ktest.h"

namespace {

// Read at every level, so the recursion is neither bounded nor turned into a loop.
volatile ck::u32 g_depth_limit = 0xffffffff;

[[gnu::noinline]] ck::u32 recurse(ck::u32 depth) {
  volatile ck::u8 frame[200];
  frame[depth % sizeof frame] = static_cast<ck::u8>(depth);
  if (depth >= g_depth_limit) return frame[0];
  return recurse(depth + 1) + frame[depth % sizeof frame];
}

void recurses_without_end(ktest::Context& t) { t.check(recurse(0) == 0, "the recursion ended"); }

constexpr ktest::Case kCases[] = {{"recurses_without_end", recurses_without_end}};

}  // namespace

void ck::kernel_main() { ktest::run("selftest_stack_overflow", kCases); }
