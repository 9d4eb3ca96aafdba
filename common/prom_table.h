// The PROM image's table of application-kernel ELF images (paper §3, §4; the format is
// ck_prom_table in ck/abi.h): the Cache Kernel starts the first as the
// SRM and hands it the table; the SRM starts the others. Pure; host-tested.
#pragma once

#include "ck/abi.h"

#include "lib/str.h"
#include "lib/types.h"

namespace ck {

struct PromImage {
  StrView name;
  const u8* elf = nullptr;
  u32 bytes = 0;
};

class PromTable {
 public:
  static constexpr u32 kMaxImages = 32;
  // The bytes of a table's head, its header and `count` entries: all parse() reads.
  static constexpr u32 head_bytes(u32 count) { return sizeof(ck_prom_table) + count * sizeof(ck_prom_entry); }

  // False when `bytes` is not a table whose entries all lie inside it, with names.
  bool parse(const u8* bytes, u32 size);

  u32 count() const { return count_; }
  u32 head_bytes() const { return head_bytes(count_); }
  PromImage image(u32 i) const;
  // False when no image has that name.
  bool find(StrView name, PromImage* out) const;
  const u8* bytes() const { return bytes_; }
  u32 size() const { return size_; }

 private:
  const u8* bytes_ = nullptr;
  u32 size_ = 0;
  u32 count_ = 0;
};

}  // namespace ck
