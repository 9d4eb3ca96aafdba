// Random numbers for an application kernel: a ChaCha20 generator (common/lib/chacha20.h)
// seeded with the 32 bytes its boot info carries (ck_boot_info::entropy: the machine's
// boot seed and virtio-rng for the first kernel; fresh output of the starting kernel's
// generator for the others). Without a source (entropy_sources() == 0) it starts from
// the clock.
#pragma once

#include <stdint.h>

namespace ak {

// `bytes` random bytes at `out`. Not safe against another thread of the same kernel
// calling at the same moment (each kernel that needs that serializes its calls).
void random_bytes(void* out, uint32_t bytes);
uint32_t random_word();
// Where the seed came from (ck_entropy_source bits; 0: the clock alone).
uint32_t entropy_sources();

}  // namespace ak
