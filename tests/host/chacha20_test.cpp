// Host tests for ChaCha20 and the generator on it (common/lib/chacha20.h).
#include "lib/chacha20.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

namespace ck {
namespace {

// RFC 8439 §2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block count 1.
TEST(ChaCha20, MatchesTheBlockOfRfc8439) {
  u32 key[8];
  for (u32 i = 0; i < 8; ++i)
    key[i] = (4 * i) | (4 * i + 1) << 8 | (4 * i + 2) << 16 | static_cast<u32>(4 * i + 3) << 24;
  const u32 nonce[3] = {0x09000000, 0x4a000000, 0};
  u32 words[16];
  ChaCha20::block(key, 1, nonce, words);
  u8 bytes[64];
  ChaCha20::block_bytes(words, bytes);
  const u8 expected[64] = {0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3,
                           0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22,
                           0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa,
                           0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1,
                           0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e};
  for (u32 i = 0; i < 64; ++i) EXPECT_EQ(bytes[i], expected[i]) << "byte " << i;
}

TEST(RandomGenerator, TheSameSeedGivesTheSameBytesAndAnotherSeedOthers) {
  u8 seed[32];
  for (u32 i = 0; i < 32; ++i) seed[i] = static_cast<u8>(i * 7 + 3);
  RandomGenerator a, b, c;
  a.seed(seed, sizeof seed);
  b.seed(seed, sizeof seed);
  seed[31] ^= 1;
  c.seed(seed, sizeof seed);
  u8 x[100], y[100], z[100];
  a.fill(x, sizeof x);
  b.fill(y, sizeof y);
  c.fill(z, sizeof z);
  EXPECT_EQ(std::memcmp(x, y, sizeof x), 0);
  EXPECT_NE(std::memcmp(x, z, sizeof x), 0);
  // Two requests never repeat each other (the key changes in between).
  a.fill(y, sizeof y);
  EXPECT_NE(std::memcmp(x, y, sizeof x), 0);
  b.stir(12345);
  b.fill(z, sizeof z);
  EXPECT_NE(std::memcmp(y, z, sizeof y), 0) << "stirring changes what follows";
}

TEST(RandomGenerator, WordsLookUniform) {
  u8 seed[32] = {1};
  RandomGenerator g;
  g.seed(seed, sizeof seed);
  std::set<u32> seen;
  u32 ones = 0;
  constexpr u32 kWords = 4096;
  for (u32 i = 0; i < kWords; ++i) {
    const u32 w = g.next_word();
    seen.insert(w);
    ones += static_cast<u32>(__builtin_popcount(w));
  }
  EXPECT_EQ(seen.size(), kWords) << "no repeats among 4096 words";
  // Half the bits set, within about four standard deviations (sqrt(131072 / 4) = 181).
  EXPECT_NEAR(static_cast<double>(ones), kWords * 16.0, 800.0);
}

// Small requests come from keystream made ahead (kSpareBytes at a refill): each byte is
// given once, and a refill comes only when what is left is too short.
TEST(RandomGenerator, SmallRequestsShareARefillAndNeverRepeat) {
  u8 seed[32] = {9};
  RandomGenerator g;
  g.seed(seed, sizeof seed);
  EXPECT_EQ(g.spare(), 0u) << "a seed leaves nothing made ahead";
  std::set<std::string> seen;
  u8 chunk[16];
  g.fill(chunk, sizeof chunk);
  seen.insert(std::string(reinterpret_cast<char*>(chunk), sizeof chunk));
  EXPECT_EQ(g.spare(), RandomGenerator::kSpareBytes - 16);
  u8 small[8];
  g.fill(small, sizeof small);
  EXPECT_EQ(g.spare(), RandomGenerator::kSpareBytes - 24);
  // 72 left: four more 16-byte requests, then one finds 8 and makes new keystream.
  for (u32 i = 0; i < 4; ++i) {
    g.fill(chunk, sizeof chunk);
    seen.insert(std::string(reinterpret_cast<char*>(chunk), sizeof chunk));
  }
  EXPECT_EQ(g.spare(), 8u);
  g.fill(chunk, sizeof chunk);
  seen.insert(std::string(reinterpret_cast<char*>(chunk), sizeof chunk));
  EXPECT_EQ(g.spare(), RandomGenerator::kSpareBytes - 16);
  for (u32 i = 0; i < 2000; ++i) {
    g.fill(chunk, sizeof chunk);
    seen.insert(std::string(reinterpret_cast<char*>(chunk), sizeof chunk));
  }
  EXPECT_EQ(seen.size(), 2006u) << "no 16 bytes given twice";
  // A request larger than what is made ahead takes its own blocks; the spare waits.
  const u32 left = g.spare();
  u8 big[200];
  g.fill(big, sizeof big);
  EXPECT_EQ(g.spare(), left);
}

// The same seed gives the same small requests; a stir or a seed drops what was made ahead,
// so the very next bytes depend on it.
TEST(RandomGenerator, AStirDropsWhatWasMadeAhead) {
  u8 seed[32] = {5, 6, 7};
  RandomGenerator a, b;
  a.seed(seed, sizeof seed);
  b.seed(seed, sizeof seed);
  u8 x[16], y[16];
  a.fill(x, sizeof x);
  b.fill(y, sizeof y);
  EXPECT_EQ(std::memcmp(x, y, sizeof x), 0);
  b.stir(1);
  EXPECT_EQ(b.spare(), 0u);
  a.fill(x, sizeof x);
  b.fill(y, sizeof y);
  EXPECT_NE(std::memcmp(x, y, sizeof x), 0);
  a.seed(seed, 1);
  EXPECT_EQ(a.spare(), 0u);
}

}  // namespace
}  // namespace ck
