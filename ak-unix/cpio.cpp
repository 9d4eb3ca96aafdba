// The cpio "newc" reader (cpio.h). An entry is a 110-byte ASCII header ("070701" and 13
// fields of 8 hex digits), the name with its NUL padded so that header and name end on
// a 4-byte boundary, then the data padded likewise. "TRAILER!!!" ends the archive.
#include "cpio.h"

namespace unixemu {

namespace {

constexpr uint32_t kHeaderBytes = 110;
constexpr uint32_t kFields = 13;
enum Field : uint32_t {
  kIno,
  kMode,
  kUid,
  kGid,
  kNlink,
  kMtime,
  kFileSize,
  kDevMajor,
  kDevMinor,
  kRdevMajor,
  kRdevMinor,
  kNameSize,
  kCheck
};

bool hex_field(const uint8_t* text, uint32_t* out) {
  uint32_t v = 0;
  for (uint32_t i = 0; i < 8; ++i) {
    const uint8_t c = text[i];
    uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    v = v << 4 | digit;
  }
  *out = v;
  return true;
}

constexpr uint32_t round4(uint32_t n) { return (n + 3) & ~3u; }

bool is_trailer(const char* name, uint32_t bytes) {
  constexpr char kTrailer[] = "TRAILER!!!";
  if (bytes != sizeof kTrailer - 1) return false;
  for (uint32_t i = 0; i < bytes; ++i)
    if (name[i] != kTrailer[i]) return false;
  return true;
}

}  // namespace

bool CpioReader::next(CpioEntry* out) {
  if (error_ || at_ >= bytes_) return false;
  const uint32_t left = bytes_ - at_;
  uint8_t h[kHeaderBytes];
  static constexpr uint8_t kMagic[6] = {'0', '7', '0', '7', '0', '1'};
  uint32_t f[kFields];
  bool ok = left >= kHeaderBytes && archive_->copy(at_, h, kHeaderBytes);
  for (uint32_t i = 0; ok && i < 6; ++i) ok = h[i] == kMagic[i];
  for (uint32_t i = 0; ok && i < kFields; ++i) ok = hex_field(h + 6 + 8 * i, &f[i]);
  // The name (with its NUL) and the data must lie inside the archive.
  ok = ok && f[kNameSize] >= 1 && f[kNameSize] <= left - kHeaderBytes && f[kNameSize] <= kMaxNameBytes;
  const uint32_t name_end = ok ? round4(kHeaderBytes + f[kNameSize]) : 0;
  ok = ok && name_end <= left && f[kFileSize] <= left - name_end;
  ok = ok && archive_->copy(at_ + kHeaderBytes, name_, f[kNameSize]);
  ok = ok && name_[f[kNameSize] - 1] == '\0';
  for (uint32_t i = 0; ok && i + 1 < f[kNameSize]; ++i) ok = name_[i] != '\0';
  if (!ok) {
    error_ = true;
    return false;
  }
  if (is_trailer(name_, f[kNameSize] - 1)) {
    at_ = bytes_;
    return false;
  }
  *out = CpioEntry{.name = name_,
                   .name_bytes = f[kNameSize] - 1,
                   .mode = f[kMode],
                   .nlink = f[kNlink],
                   .mtime = f[kMtime],
                   .data_offset = at_ + name_end,
                   .data_bytes = f[kFileSize]};
  const uint32_t advance = name_end + round4(f[kFileSize]);
  at_ = advance <= left ? at_ + advance : bytes_;
  return true;
}

}  // namespace unixemu
