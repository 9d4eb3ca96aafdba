// Checks and frame handout (checks.h).
#include "checks.h"

#include "libak.h"

namespace ak {

namespace {
uint32_t g_failures;
uint32_t g_next_frame;
constexpr uint32_t kPage = 4096;
}  // namespace

void check(bool ok, const char* what) {
  if (ok) return;
  g_failures += 1;
  print("ak: check failed: {}\n", StrView(what));
}

void check_eq(uint32_t actual, uint32_t expected, const char* what) {
  if (actual == expected) return;
  g_failures += 1;
  print("ak: check failed: {}: got {:#x} ({}), expected {:#x} ({})\n", StrView(what), actual,
        static_cast<int32_t>(actual), expected, static_cast<int32_t>(expected));
}

uint32_t failures() { return g_failures; }

const char* scenario_argument() {
  const char* text = reinterpret_cast<const char*>(boot_info().arguments);
  while (*text != '\0' && *text != ':') ++text;
  return *text == ':' ? text + 1 : text;
}

int run_scenario(const Scenario* scenarios, uint32_t count) {
  const char* arguments = reinterpret_cast<const char*>(boot_info().arguments);
  const char* argument = scenario_argument();
  const StrView wanted(arguments, static_cast<uint32_t>(argument - arguments) - (*argument != '\0' ? 1 : 0));
  for (uint32_t i = 0; i < count; ++i) {
    if (wanted != StrView(scenarios[i].name)) continue;
    scenarios[i].run();
    return static_cast<int>(g_failures);
  }
  print("ak: unknown scenario '{}'\n", wanted);
  return 1000;
}

uint32_t take_frames(uint32_t count) {
  if (g_next_frame == 0) g_next_frame = boot_info().memory_base;
  const uint32_t first = g_next_frame;
  g_next_frame += count * kPage;
  return first;
}

uint32_t take_frame() { return take_frames(1); }

}  // namespace ak
