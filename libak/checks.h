// Checks and frame handout for test and benchmark application kernels (tests/guest/ak,
// bench/ak): every failed check is printed and counted, and the count is the kernel's
// verdict (ak_main's result, read back by the guest test).
#pragma once

#include <stdint.h>

namespace ak {

void check(bool ok, const char* what);
void check_eq(uint32_t actual, uint32_t expected, const char* what);
uint32_t failures();

// A test kernel's scenarios: the one its boot arguments name runs; the verdict is the
// number of failed checks (1000 for a name it does not have).
struct Scenario {
  const char* name;
  void (*run)();
};
// The boot arguments are `name` or `name:argument`; scenario_argument() is the latter.
int run_scenario(const Scenario* scenarios, uint32_t count);
const char* scenario_argument();
template <uint32_t N>
int run_scenario(const Scenario (&scenarios)[N]) {
  return run_scenario(scenarios, N);
}

// Physical pages of the kernel's own memory (from ck_boot_info::memory_base), each
// handed out once: one page, or `count` consecutive ones (the first returned).
uint32_t take_frame();
uint32_t take_frames(uint32_t count);

}  // namespace ak
