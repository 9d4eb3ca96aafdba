// A broken invariant in the kernel (assert.h): a panic with its place.
#include "assert.h"

#include "panic.h"

namespace ck {

void assertion_failed(const char* condition, const char* file, int line) {
  panic("assertion failed: {} ({}:{})", StrView(condition), StrView(file), line);
}

}  // namespace ck
