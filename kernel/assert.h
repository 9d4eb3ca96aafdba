// CK_ASSERT(condition): an invariant the code relies on (a record lookup that cannot
// miss, a chain walk that must end, a slot index in range). Checked in host builds and
// in guest builds configured with CK_DEBUG; compiled out (not evaluated) otherwise. A
// macro because it must name the failing expression and its place, and must not
// evaluate the condition when off.
#pragma once

namespace ck {
// Reports the broken invariant and stops: panic() in the kernel, abort() on the host.
[[noreturn]] void assertion_failed(const char* condition, const char* file, int line);
}  // namespace ck

#ifdef CK_ASSERTIONS
#define CK_ASSERT(condition) \
  ((condition) ? static_cast<void>(0) : ::ck::assertion_failed(#condition, __FILE__, __LINE__))
#else
#define CK_ASSERT(condition) static_cast<void>(sizeof(condition))
#endif
