// Build-time capacities of the Cache Kernel's object caches (paper Table 1; DESIGN.md
// §3). The defaults are the paper's; test builds pass smaller ones (-DCK_THREADS=4 ...)
// to force replacement.
#pragma once

#include "lib/types.h"

#ifndef CK_KERNELS
#define CK_KERNELS 16
#endif
#ifndef CK_SPACES
#define CK_SPACES 64
#endif
#ifndef CK_THREADS
#define CK_THREADS 256
#endif
#ifndef CK_MAPPINGS
#define CK_MAPPINGS 65536
#endif

namespace ck {

inline constexpr u32 kKernelCapacity = CK_KERNELS;
inline constexpr u32 kSpaceCapacity = CK_SPACES;
inline constexpr u32 kThreadCapacity = CK_THREADS;
inline constexpr u32 kMappingCapacity = CK_MAPPINGS;

// Hash buckets of the physical memory map: a power of two, at least one per record, so
// that a chain holds about one key (a mapping load looks up its page's groups 4 times).
constexpr u32 physmap_buckets(u32 records) {
  u32 n = 16;
  while (n < records) n *= 2;
  return n;
}

}  // namespace ck
