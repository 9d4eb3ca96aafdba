// The kernel command line (see cmdline.h).
#include "lib/cmdline.h"

namespace ck {

bool CommandLine::lookup(StrView key, StrView* value) const {
  bool found = false;
  for_each([&](StrView k, StrView v) {
    if (k == key) {
      *value = v;
      found = true;
    }
  });
  return found;
}

bool CommandLine::has(StrView key) const {
  bool found = false;
  for_each([&](StrView k, StrView) { found = found || k == key; });
  return found;
}

}  // namespace ck
