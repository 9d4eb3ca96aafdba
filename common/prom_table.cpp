// The PROM image's table of application kernels (prom_table.h). The table is built by
// the image's build in the machine's byte order: the guest reads it natively.
#include "prom_table.h"

#include <cstring>

namespace ck {

namespace {
const u8* entry_bytes(const u8* table, u32 i) { return table + sizeof(ck_prom_table) + i * sizeof(ck_prom_entry); }
ck_prom_entry entry(const u8* table, u32 i) {
  ck_prom_entry e;
  std::memcpy(&e, entry_bytes(table, i), sizeof e);
  return e;
}
u32 name_length(const ck_prom_entry& e) {
  u32 n = 0;
  while (n < CK_PROM_NAME_BYTES && e.name[n] != '\0') ++n;
  return n;
}
}  // namespace

bool PromTable::parse(const u8* bytes, u32 size) {
  count_ = 0;
  if (bytes == nullptr || size < sizeof(ck_prom_table) || reinterpret_cast<uintptr_t>(bytes) % 4 != 0) return false;
  ck_prom_table header;
  std::memcpy(&header, bytes, sizeof header);
  if (header.magic != CK_PROM_MAGIC || header.bytes > size || header.count == 0 || header.count > kMaxImages)
    return false;
  if (head_bytes(header.count) > header.bytes) return false;
  for (u32 i = 0; i < header.count; ++i) {
    const ck_prom_entry e = entry(bytes, i);
    if (name_length(e) == 0 || e.offset > header.bytes || e.bytes > header.bytes - e.offset || e.bytes == 0)
      return false;
  }
  bytes_ = bytes;
  size_ = header.bytes;
  count_ = header.count;
  return true;
}

PromImage PromTable::image(u32 i) const {
  if (i >= count_) return PromImage{};
  const ck_prom_entry e = entry(bytes_, i);
  // The name as it is in the table (offsetof(name) == 0).
  const char* name = reinterpret_cast<const char*>(entry_bytes(bytes_, i));
  return PromImage{.name = StrView(name, name_length(e)), .elf = bytes_ + e.offset, .bytes = e.bytes};
}

bool PromTable::find(StrView name, PromImage* out) const {
  for (u32 i = 0; i < count_; ++i) {
    const PromImage image = this->image(i);
    if (image.name == name) {
      *out = image;
      return true;
    }
  }
  return false;
}

}  // namespace ck
