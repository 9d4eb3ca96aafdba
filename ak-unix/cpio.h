// A reader of cpio "newc" archives (the format Linux's initramfs uses; `cargo xtask`
// writes the UNIX emulator's root file system in it), read through an ImageReader (the
// archive lies in the PROM, reached a page at a time): each header and name is copied
// out, a file's bytes are left where they are and named by their offset. Pure;
// host-tested.
#pragma once

#include <stdint.h>

#include "image_reader.h"

namespace unixemu {

struct CpioEntry {
  const char* name;     // NUL-terminated, as stored ("bin/sh", "./etc", "etc/hosts"); the
                        // reader's copy, valid until its next next()
  uint32_t name_bytes;  // without the NUL
  uint32_t mode;        // type and permission bits (st_mode)
  uint32_t nlink;
  uint32_t mtime;        // seconds since 1970
  uint32_t data_offset;  // where the file's bytes (a symlink's target) are in the archive
  uint32_t data_bytes;
};

class CpioReader {
 public:
  // A longer name (NUL included) is refused as malformed: the reader lives on the stack
  // of the thread loading the tree, and no path in an image comes near it.
  static constexpr uint32_t kMaxNameBytes = 1024;

  explicit CpioReader(ImageReader& archive) : archive_(&archive), bytes_(archive.bytes()) {}
  // The entry at the cursor, moving the cursor past it. False at the trailer, at the
  // end of the archive, or at anything malformed (then error() says so).
  bool next(CpioEntry* out);
  // True when the walk stopped at something that is not a well-formed entry or trailer.
  bool error() const { return error_; }

 private:
  ImageReader* archive_;
  uint32_t bytes_;
  char name_[kMaxNameBytes];
  uint32_t at_ = 0;
  bool error_ = false;
};

}  // namespace unixemu
