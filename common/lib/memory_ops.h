// Copying and filling memory a longword at a time, eight to a loop round: what the
// runtime's memcpy and memset are made of (runtime.cpp, guest only), kept here so that
// the host tests run the same code (tests/host/memory_ops_test.cpp). The 68040 allows
// misaligned longword accesses, so every alignment takes the longword path; only the
// last 0-3 bytes go one at a time. Thread states, exception frames, writeback records
// and page-group rights are copied or cleared on the paths of loads, writebacks and
// forwarded exceptions: a round of eight moves costs about 10 instructions for 32 bytes,
// where a byte loop costs about 100.
#pragma once

#include "lib/types.h"

namespace ck {

namespace memory_ops {
// A longword at any byte address (may_alias: it copies objects of every type).
using Word [[gnu::aligned(1), gnu::may_alias]] = u32;
}  // namespace memory_ops

// memcpy: the regions do not overlap.
inline void copy_memory(void* dest, const void* src, usize n) {
  using memory_ops::Word;
  auto* d = static_cast<unsigned char*>(dest);
  const auto* s = static_cast<const unsigned char*>(src);
#if defined(__mc68000__)
  // Large copies (a page filled from a file, a thread state) 44 bytes a round with two
  // MOVEMs of eleven registers: five instructions where the round below takes about 17
  // (the UNIX emulator's exec copies some 40 pages, issue 18 item 11). The 68040 allows
  // misaligned MOVEM operands as it does MOVE's. d7 holds the count: d0-d6 and a2-a5
  // carry the data, the pointers stay in the compiler's other address registers.
  if (n >= 128) {
    register usize rounds asm("d7") = n / 44;
    asm volatile(
        "1:\tmovem.l (%0)+, %%d0-%%d6/%%a2-%%a5\n\t"
        "movem.l %%d0-%%d6/%%a2-%%a5, (%1)\n\t"
        "lea 44(%1), %1\n\t"
        "subq.l #1, %2\n\t"
        "bne.s 1b"
        : "+a"(s), "+a"(d), "+d"(rounds)
        :
        : "d0", "d1", "d2", "d3", "d4", "d5", "d6", "a2", "a3", "a4", "a5", "cc", "memory");
    n %= 44;
  }
#endif
  for (; n >= 32; n -= 32, d += 32, s += 32) {
    Word* dw = reinterpret_cast<Word*>(d);
    const Word* sw = reinterpret_cast<const Word*>(s);
    dw[0] = sw[0];
    dw[1] = sw[1];
    dw[2] = sw[2];
    dw[3] = sw[3];
    dw[4] = sw[4];
    dw[5] = sw[5];
    dw[6] = sw[6];
    dw[7] = sw[7];
  }
  // The rest a longword a step, counted down (one move, one count, one branch each:
  // small copies such as call arguments are all rest).
  Word* dw = reinterpret_cast<Word*>(d);
  const Word* sw = reinterpret_cast<const Word*>(s);
  for (usize words = n / 4; words != 0; --words) *dw++ = *sw++;
  d = reinterpret_cast<unsigned char*>(dw);
  s = reinterpret_cast<const unsigned char*>(sw);
  for (n %= 4; n != 0; --n) *d++ = *s++;
}

// memset.
inline void fill_memory(void* dest, u8 value, usize n) {
  using memory_ops::Word;
  auto* d = static_cast<unsigned char*>(dest);
  const u32 word = value * 0x01010101u;
  for (; n >= 32; n -= 32, d += 32) {
    Word* dw = reinterpret_cast<Word*>(d);
    dw[0] = word;
    dw[1] = word;
    dw[2] = word;
    dw[3] = word;
    dw[4] = word;
    dw[5] = word;
    dw[6] = word;
    dw[7] = word;
  }
  for (; n >= 4; n -= 4, d += 4) *reinterpret_cast<Word*>(d) = word;
  for (; n != 0; --n) *d++ = value;
}

}  // namespace ck
