// ChaCha20 (RFC 8439 §2.3) and a generator on it that erases its key as it goes, the way
// Linux's CRNG turns a seed into random bytes: every request ends by replacing the key
// with fresh output, so bytes already given cannot be recomputed from a later state.
// Used by libak (ak::random_bytes) and so by every application kernel that needs random
// numbers (the UNIX emulator's getrandom and AT_RANDOM, the SRM's seeds for the kernels
// it starts). Pure code, host-tested against RFC 8439's vectors.
#pragma once

#include "lib/types.h"

namespace ck {

class ChaCha20 {
 public:
  static constexpr u32 kKeyWords = 8, kBlockWords = 16, kBlockBytes = 64;

  // One block: the keystream for `key`, `counter` and `nonce` (RFC 8439 §2.3), as 16
  // words in the RFC's little-endian byte order (block_bytes gives the bytes).
  static void block(const u32 (&key)[kKeyWords], u32 counter, const u32 (&nonce)[3], u32 (&out)[kBlockWords]) {
    u32 x[kBlockWords] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0],  key[1],   key[2],   key[3],
                          key[4],     key[5],     key[6],     key[7],     counter, nonce[0], nonce[1], nonce[2]};
    u32 in[kBlockWords];
    for (u32 i = 0; i < kBlockWords; ++i) in[i] = x[i];
    for (u32 round = 0; round < 10; ++round) {
      quarter(x, 0, 4, 8, 12);
      quarter(x, 1, 5, 9, 13);
      quarter(x, 2, 6, 10, 14);
      quarter(x, 3, 7, 11, 15);
      quarter(x, 0, 5, 10, 15);
      quarter(x, 1, 6, 11, 12);
      quarter(x, 2, 7, 8, 13);
      quarter(x, 3, 4, 9, 14);
    }
    for (u32 i = 0; i < kBlockWords; ++i) out[i] = x[i] + in[i];
  }
  // The block's bytes in the RFC's order (each word little-endian).
  static void block_bytes(const u32 (&words)[kBlockWords], u8 (&out)[kBlockBytes]) {
    for (u32 i = 0; i < kBlockWords; ++i)
      for (u32 b = 0; b < 4; ++b) out[4 * i + b] = static_cast<u8>(words[i] >> (8 * b));
  }

 private:
  static constexpr u32 rotl(u32 v, u32 n) { return v << n | v >> (32 - n); }
  static void quarter(u32 (&x)[kBlockWords], u32 a, u32 b, u32 c, u32 d) {
    x[a] += x[b];
    x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d];
    x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b];
    x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d];
    x[b] = rotl(x[b] ^ x[c], 7);
  }
};

// A generator: seeded once with real entropy (and stirred with anything else, which can
// only add to it), then a ChaCha20 keystream whose key is replaced after every block it
// makes (large requests) or every refill (small ones).
// Small requests (AT_RANDOM's 16 bytes, glibc's 8-byte getrandom at start-up) are served
// from keystream made ahead: one refill makes two blocks under one key, the first half of
// the first becomes the next key (erasing the one they came from) and the other 96 bytes
// wait for requests. Each byte is given once and erased as it is given, so what is kept
// is only output nobody has had yet (Linux's batched get_random_bytes does the same); a
// 16-byte request was a whole block (about 2,000 instructions on the 68040) before.
class RandomGenerator {
 public:
  static constexpr u32 kSpareBytes = 96;

  // Folds `bytes` into the key (any number; a seed is 32), then erases the old key.
  void seed(const u8* bytes, u32 count) {
    for (u32 i = 0; i < count; ++i) key_[(i / 4) % ChaCha20::kKeyWords] ^= static_cast<u32>(bytes[i]) << (8 * (i % 4));
    rekey();
    drop_spare();
  }
  // Folds one word in (a clock reading: not entropy one can count on, but never harmful).
  void stir(u32 word) {
    key_[stir_at_++ % ChaCha20::kKeyWords] ^= word;
    rekey();
    drop_spare();
  }
  void fill(void* out, u32 count) {
    auto* to = static_cast<u8*>(out);
    if (count <= kSpareBytes) {
      if (spare_left_ < count) refill();
      u8* from = spare_ + (kSpareBytes - spare_left_);
      for (u32 i = 0; i < count; ++i) {
        to[i] = from[i];
        from[i] = 0;
      }
      spare_left_ -= count;
      return;
    }
    while (count != 0) {
      u32 words[ChaCha20::kBlockWords];
      u8 bytes[ChaCha20::kBlockBytes];
      ChaCha20::block(key_, counter_++, nonce_, words);
      ChaCha20::block_bytes(words, bytes);
      const u32 n = count < ChaCha20::kBlockBytes ? count : ChaCha20::kBlockBytes;
      for (u32 i = 0; i < n; ++i) to[i] = bytes[i];
      to += n;
      count -= n;
    }
    rekey();
  }
  u32 next_word() {
    u8 b[4];
    fill(b, sizeof b);
    return static_cast<u32>(b[0]) | static_cast<u32>(b[1]) << 8 | static_cast<u32>(b[2]) << 16 |
           static_cast<u32>(b[3]) << 24;
  }
  // Bytes made ahead and not given yet (for tests).
  u32 spare() const { return spare_left_; }

 private:
  // Fast key erasure: the next key is keystream nobody has seen.
  void rekey() {
    u32 words[ChaCha20::kBlockWords];
    ChaCha20::block(key_, counter_++, nonce_, words);
    for (u32 i = 0; i < ChaCha20::kKeyWords; ++i) key_[i] = words[i];
    nonce_[0] += 1;  // each key's blocks start from a fresh nonce, the counter goes on
  }
  // Two blocks under the current key: the first's first half is the next key, the rest
  // (96 bytes) is kept for small requests. What was left of the last refill is erased.
  void refill() {
    u32 first[ChaCha20::kBlockWords], second[ChaCha20::kBlockWords];
    ChaCha20::block(key_, counter_++, nonce_, first);
    ChaCha20::block(key_, counter_++, nonce_, second);
    for (u32 i = 0; i < ChaCha20::kKeyWords; ++i) key_[i] = first[i];
    nonce_[0] += 1;
    for (u32 i = ChaCha20::kKeyWords; i < ChaCha20::kBlockWords; ++i)
      for (u32 b = 0; b < 4; ++b) spare_[4 * (i - ChaCha20::kKeyWords) + b] = static_cast<u8>(first[i] >> (8 * b));
    for (u32 i = 0; i < ChaCha20::kBlockWords; ++i)
      for (u32 b = 0; b < 4; ++b) spare_[32 + 4 * i + b] = static_cast<u8>(second[i] >> (8 * b));
    spare_left_ = kSpareBytes;
  }
  // After a seed or a stir every byte given depends on it: what was made ahead goes.
  void drop_spare() {
    for (u8& b : spare_) b = 0;
    spare_left_ = 0;
  }

  u32 key_[ChaCha20::kKeyWords] = {};
  u32 nonce_[3] = {};
  u32 counter_ = 0;
  u32 stir_at_ = 0;
  u8 spare_[kSpareBytes] = {};  // keystream made ahead; its last spare_left_ bytes not given yet
  u32 spare_left_ = 0;
};

}  // namespace ck
