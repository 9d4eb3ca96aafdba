// Random numbers for an application kernel (random.h).
#include "random.h"

#include "lib/chacha20.h"
#include "libak.h"

namespace ak {

namespace {

ck::RandomGenerator g_generator;
bool g_seeded = false;

ck::RandomGenerator& generator() {
  if (!g_seeded) {
    // The seed leaves the boot info once taken: a later reader of this kernel's memory
    // (a dump, the kernel's own bug) does not find it.
    auto& info = const_cast<ck_boot_info&>(boot_info());
    g_generator.seed(info.entropy, sizeof info.entropy);
    if (info.entropy_sources == 0) g_generator.stir(now());  // better than nothing: the clock
    for (uint8_t& b : info.entropy) b = 0;
    g_seeded = true;
  }
  return g_generator;
}

}  // namespace

void random_bytes(void* out, uint32_t bytes) { generator().fill(out, bytes); }

uint32_t random_word() {
  uint32_t w;
  random_bytes(&w, sizeof w);
  return w;
}

uint32_t entropy_sources() { return boot_info().entropy_sources; }

}  // namespace ak
