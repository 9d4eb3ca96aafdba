// A reader of cpio "newc" archives (the format Linux's initramfs uses; `cargo xtask`
// writes the UNIX emulator's root file system in it): the archive is walked in place,
// nothing copied. Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

struct CpioEntry {
  const char* name;     // NUL-terminated, as stored ("bin/sh", "./etc", "etc/hosts")
  uint32_t name_bytes;  // without the NUL
  uint32_t mode;        // type and permission bits (st_mode)
  uint32_t nlink;
  uint32_t mtime;       // seconds since 1970
  const uint8_t* data;  // the file's bytes (a symlink's target)
  uint32_t data_bytes;
};

class CpioReader {
 public:
  CpioReader(const uint8_t* archive, uint32_t bytes) : archive_(archive), bytes_(bytes) {}
  // The entry at the cursor, moving the cursor past it. False at the trailer, at the
  // end of the archive, or at anything malformed (then error() says so).
  bool next(CpioEntry* out);
  // True when the walk stopped at something that is not a well-formed entry or trailer.
  bool error() const { return error_; }

 private:
  const uint8_t* archive_;
  uint32_t bytes_;
  uint32_t at_ = 0;
  bool error_ = false;
};

}  // namespace unixemu
